/**
 * The workflow files of one commit, read from Git objects. Mirrors what `weft validate
 * <folder>` reads from disk: the folder's own `*.yaml`/`*.yml` files (not sub-folders, not
 * `*.test.yaml` fixtures), with the same size limit and UTF-8 check, so a commit that
 * validates locally deploys the same way.
 */
import { byCodePoint } from "../compile/compile.js";
import { fileDiagnostic, SpecError } from "../spec/diagnostics.js";
import { LOAD_LIMITS } from "../spec/load.js";
import type { Diagnostic } from "../spec/types.js";
import type { CommitReader, TreeEntry } from "./mirror.js";

export interface CommitFile {
  /** Path from the repository root, used as the file name in diagnostics. */
  path: string;
  /** The UTF-8 text, when the file could be read. */
  source?: string;
  /** Why it could not be read. */
  diagnostic?: Diagnostic;
}

const WORKFLOW_FILE = /\.ya?ml$/;
const TEST_FILE = /\.test\.ya?ml$/;
const REGULAR = new Set(["100644", "100755"]);

export async function readWorkflowFiles(
  reader: CommitReader,
  sha: string,
  dir: string,
): Promise<CommitFile[]> {
  const entries = (await reader.listFolder(sha, dir))
    .filter((e) => {
      const name = e.path.slice(e.path.lastIndexOf("/") + 1);
      return WORKFLOW_FILE.test(name) && !TEST_FILE.test(name);
    })
    .sort((a, b) => byCodePoint(a.path, b.path));
  const files: CommitFile[] = [];
  const wanted: TreeEntry[] = [];
  for (const entry of entries) {
    const refused = refuseEntry(entry);
    if (refused) files.push({ path: entry.path, diagnostic: refused });
    else wanted.push(entry);
  }
  const blobs = await reader.readBlobs(wanted.map((e) => e.oid));
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (const entry of wanted) {
    const bytes = blobs.get(entry.oid);
    if (!bytes) {
      const reason = "its object is missing from the fetched repository";
      files.push({
        path: entry.path,
        diagnostic: fileDiagnostic(entry.path, SpecError.fileUnreadable({ reason })),
      });
      continue;
    }
    try {
      files.push({ path: entry.path, source: decoder.decode(bytes) });
    } catch {
      files.push({ path: entry.path, diagnostic: fileDiagnostic(entry.path, SpecError.fileEncoding()) });
    }
  }
  return files.sort((a, b) => byCodePoint(a.path, b.path));
}

/** Symlinks, sub-folders and submodules named like workflows are refused, not followed. */
function refuseEntry(entry: TreeEntry): Diagnostic | undefined {
  if (entry.type !== "blob" || !REGULAR.has(entry.mode)) {
    const what =
      entry.mode === "120000"
        ? "it is a symbolic link; commit the file itself"
        : entry.type === "commit"
          ? "it is a submodule, and submodules are not fetched"
          : "it is not a regular file";
    return fileDiagnostic(entry.path, SpecError.fileUnreadable({ reason: what }));
  }
  const limit = LOAD_LIMITS.maxBytes;
  if (entry.size !== undefined && entry.size > limit) {
    return fileDiagnostic(entry.path, SpecError.fileTooLarge({ size: entry.size, limit }));
  }
  return undefined;
}
