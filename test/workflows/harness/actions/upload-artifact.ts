import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  ActionFailure,
  type ActionRun,
  type ActionStandIn,
  booleanInput,
  setOutput,
} from './action-stand-in';

/**
 * Stands in for actions/upload-artifact (v4): copies the files `path` names into the run's
 * artifacts folder under the artifact's `name`, relative to the folder named (as the action roots
 * an upload at the paths' common ancestor), leaving out hidden files unless
 * `include-hidden-files`. No files: a warning, an error or nothing, per `if-no-files-found`. A name
 * already uploaded in the run fails unless `overwrite`. Glob patterns are not modelled: each line of
 * `path` is a file or a folder.
 *
 * What it cannot show: the upload itself, compression, retention and the size quota.
 */
function filesUnder(root: string, hidden: boolean): string[] {
  if (!existsSync(root)) return [];
  if (statSync(root).isFile()) return [root];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((relative) => hidden || !relative.split(path.sep).some((part) => part.startsWith('.')))
    .map((relative) => path.join(root, relative))
    .filter((file) => statSync(file).isFile());
}

export const uploadArtifact: ActionStandIn = {
  action: 'actions/upload-artifact',
  inputs: {
    name: 'artifact',
    path: undefined,
    'if-no-files-found': 'warn',
    'retention-days': undefined,
    'compression-level': '6',
    overwrite: 'false',
    'include-hidden-files': 'false',
  },
  async run(run: ActionRun) {
    const name = run.inputs.name ?? 'artifact';
    const lines = (run.inputs.path ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (lines.length === 0) throw new ActionFailure('Input required and not supplied: path');
    const destination = path.join(run.services.artifactsDir, name);
    if (existsSync(destination) && !booleanInput(run, 'overwrite')) {
      throw new ActionFailure(
        'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run',
      );
    }
    let count = 0;
    for (const line of lines) {
      const root = path.resolve(run.job.workspace, line);
      for (const file of filesUnder(root, booleanInput(run, 'include-hidden-files'))) {
        const relative = statSync(root).isFile() ? path.basename(file) : path.relative(root, file);
        cpSync(file, path.join(destination, relative));
        count++;
      }
    }
    if (count === 0) {
      const message = `No files were found with the provided path: ${lines.join(', ')}. No artifacts will be uploaded.`;
      const mode = run.inputs['if-no-files-found'];
      if (mode === 'error') throw new ActionFailure(message);
      if (mode === 'warn') run.log(`::warning::${message}`);
      else run.log(message);
      return;
    }
    run.log(`Artifact ${name} has ${count} file(s)`);
    setOutput(run, 'artifact-id', String(count));
    setOutput(
      run,
      'artifact-url',
      `https://github.com/${run.job.repository.owner}/${run.job.repository.name}/actions/artifacts/${name}`,
    );
  },
};
