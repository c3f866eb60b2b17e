import type { EventsConfig } from '@actions/workflow-parser/model/workflow-template';
import type { TriggeredEvent } from './events';
import { matchesGlob } from './github-state';

/**
 * Whether a workflow's `on:` starts a run for an event: the event must be listed, and its filters
 * hold. `pull_request` defaults to the types opened, synchronize and reopened and filters on the
 * base branch; `push` filters on the pushed branch or tag; `release` on its type. Path filters are
 * not modelled (this project's workflows use none).
 */
const PULL_REQUEST_DEFAULT_TYPES = ['opened', 'synchronize', 'reopened'];

export function triggers(events: EventsConfig, event: TriggeredEvent): boolean {
  const config = events[event.name] as
    | { types?: string[]; branches?: string[]; 'branches-ignore'?: string[]; tags?: string[] }
    | undefined;
  if (config === undefined) return false;
  const action = typeof event.payload.action === 'string' ? event.payload.action : undefined;
  if (event.name === 'pull_request') {
    if (!(config.types ?? PULL_REQUEST_DEFAULT_TYPES).includes(action ?? '')) return false;
    return branchFilterHolds(config, event.baseRef ?? '');
  }
  if (event.name === 'push') {
    const tag = /^refs\/tags\/(.+)$/.exec(event.ref)?.[1];
    if (tag !== undefined)
      return config.tags === undefined ? config.branches === undefined : matchesGlob(config.tags, tag);
    const branch = event.ref.replace(/^refs\/heads\//, '');
    if (config.branches === undefined && config['branches-ignore'] === undefined && config.tags !== undefined)
      return false;
    return branchFilterHolds(config, branch);
  }
  if (event.name === 'release') return config.types === undefined || config.types.includes(action ?? '');
  return true;
}

function branchFilterHolds(
  config: { branches?: string[]; 'branches-ignore'?: string[] },
  branch: string,
): boolean {
  if (config.branches !== undefined) return matchesGlob(config.branches, branch);
  if (config['branches-ignore'] !== undefined) return !matchesGlob(config['branches-ignore'], branch);
  return true;
}
