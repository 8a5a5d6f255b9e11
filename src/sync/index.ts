/** Git sync: what the serve command and the HTTP API use. */

export { checkoutPath, exportCommit } from "./checkout.js";
export type { CommitFile } from "./commit-files.js";
export { readWorkflowFiles } from "./commit-files.js";
export type { CommitBuild } from "./deploy.js";
export { buildCommit } from "./deploy.js";
export { SyncError } from "./errors.js";
export { gitEnv, runGit } from "./git.js";
export type { CommitInfo, CommitReader, TreeEntry } from "./mirror.js";
export { GitMirror } from "./mirror.js";
export type { LocalRepository, RemoteKind, RemoteSpec } from "./remote.js";
export { checkBranch, checkWorkflowsDir, findLocalRepository, parseRemote } from "./remote.js";
export type { SyncerOptions, SyncResult, SyncStatus } from "./syncer.js";
export { backoffDelay, Syncer } from "./syncer.js";
