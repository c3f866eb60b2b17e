import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyWorkTree } from '../../deploy/work-tree';

/**
 * The repository on GitHub, as a local git repository the checkout stand-in clones from: `main`
 * holds this project as it is in the working tree (uncommitted edits included, as the emulated
 * deploy test takes it), and tests add commits on branches, on forks (refs outside refs/heads,
 * since a fork's branches are not this repository's), tags, and the refs GitHub makes for a pull
 * request: refs/pull/N/head and the test merge commit refs/pull/N/merge.
 */
const AUTHOR = ['-c', 'user.name=Item API Tests', '-c', 'user.email=tests@example.com'];

export type FileChange = string | ((before: string) => string);

export class OriginRepository {
  private constructor(readonly dir: string) {}

  static create(): OriginRepository {
    const dir = copyWorkTree();
    const repo = new OriginRepository(dir);
    repo.git('init', '-q', '-b', 'main');
    // GitHub serves any commit of the repository by its sha, as actions/checkout fetches it.
    repo.git('config', 'uploadpack.allowAnySHA1InWant', 'true');
    repo.git('add', '-A');
    repo.git(...AUTHOR, 'commit', '-q', '-m', 'item-api as in the working tree');
    return repo;
  }

  git(...args: string[]): string {
    return this.output(args).trim();
  }

  private output(args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  sha(ref: string): string {
    return this.git('rev-parse', `${ref}^{commit}`);
  }

  exists(ref: string): boolean {
    try {
      this.git('rev-parse', '--verify', '-q', ref);
      return true;
    } catch {
      return false;
    }
  }

  readFile(sha: string, file: string): string {
    return this.output(['show', `${sha}:${file}`]);
  }

  /**
   * A commit on `ref` (a branch name, or a full ref such as refs/forks/mallory/main) on top of
   * `from`, changing files by content or by a function of their content; returns its sha.
   */
  commit(ref: string, changes: Readonly<Record<string, FileChange>>, message: string, from = 'main'): string {
    const fullRef = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
    const parent = this.exists(fullRef) ? fullRef : from;
    this.git('checkout', '-q', '--detach', this.sha(parent));
    try {
      for (const [file, change] of Object.entries(changes)) {
        const full = path.join(this.dir, file);
        const before = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
        const after = typeof change === 'function' ? change(before ?? '') : change;
        if (after === before) throw new Error(`the change to ${file} changes nothing`);
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, after);
        this.git('add', file);
      }
      this.git(...AUTHOR, 'commit', '-q', '-m', message);
      const sha = this.sha('HEAD');
      this.git('update-ref', fullRef, sha);
      return sha;
    } finally {
      this.git('checkout', '-q', '--force', 'main');
    }
  }

  /** What GitHub does when a pull request is opened or pushed to: the head ref and the test merge commit. */
  pullRequestRefs(
    number: number,
    headSha: string,
    baseBranch: string,
  ): { mergeSha: string; baseSha: string } {
    const baseSha = this.sha(baseBranch);
    const tree = this.git('merge-tree', '--write-tree', baseSha, headSha).split('\n')[0] as string;
    const mergeSha = this.git(
      ...AUTHOR,
      'commit-tree',
      tree,
      '-p',
      baseSha,
      '-p',
      headSha,
      '-m',
      `Merge ${headSha} into ${baseSha}`,
    );
    this.git('update-ref', `refs/pull/${number}/head`, headSha);
    this.git('update-ref', `refs/pull/${number}/merge`, mergeSha);
    return { mergeSha, baseSha };
  }

  tag(name: string, sha: string): void {
    this.git('tag', '-f', name, sha);
  }
}
