// The words of a rollback: the revert PR's title and body, the commit message (git's own revert
// wording, so tools that parse "This reverts commit …" keep working), and the by-hand instructions
// posted when the API cannot revert cleanly. Pure.

import { code, oneLine } from "../../core/text/markdown.js";

export interface RevertSubject {
  pullNumber: number;
  incidentNumber: number;
  /** Title of the PR being reverted (untrusted: from its author). */
  title: string;
  /** The merge or squash commit the PR landed as. */
  mergeCommitSha: string;
  /** Markdown from the app (score and reasons), already escaped by its renderer. */
  reason: string;
}

export function revertTitle(s: RevertSubject): string {
  return `Revert "${oneLine(s.title, 200)}"`;
}

export function revertCommitMessage(s: RevertSubject): string {
  return `${revertTitle(s)}\n\nThis reverts commit ${s.mergeCommitSha}.\n\nRollback for incident #${s.incidentNumber} (reverts #${s.pullNumber}).\n`;
}

export function revertBody(s: RevertSubject): string {
  return [
    `Rolls back #${s.pullNumber} for incident #${s.incidentNumber}.`,
    "",
    s.reason.trim(),
    "",
    "---",
    `This reverts commit ${s.mergeCommitSha}. Opened by aftershock (\`/rollback\`); merge it to undo the change, or close it to keep the change.`,
  ].join("\n");
}

/** Quotes a word for a POSIX shell unless it is plainly safe (branch names may hold `$`, `;`, `'`…). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface ManualRevert extends RevertSubject {
  branch: string;
  baseRef: string;
  /** Parents of the merge commit: 2 for a merge commit (revert with -m 1), 1 for a squash or rebase. */
  parentCount: number;
  files: string[];
}

/** Markdown telling a person how to make the revert by hand, with the files that conflict. */
export function conflictInstructions(s: ManualRevert): string {
  const mainline = s.parentCount > 1 ? "-m 1 " : "";
  const branch = shellWord(s.branch);
  const shown = s.files.slice(0, 50);
  const more = s.files.length - shown.length;
  // A tilde fence: git forbids "~" in ref names, so no branch name can close it early.
  return [
    `Reverting #${s.pullNumber} automatically would conflict with later changes on ${code(s.baseRef)} in:`,
    "",
    ...shown.map((f) => `- ${code(f, 300)}`),
    ...(more > 0 ? [`- … and ${more} more`] : []),
    "",
    "No branch or pull request was created. To revert by hand:",
    "",
    "~~~sh",
    `git fetch origin && git checkout -b ${branch} ${shellWord(`origin/${s.baseRef}`)} && git revert ${mainline}${s.mergeCommitSha}`,
    "# resolve the conflicts, then:",
    "git add -A && git revert --continue",
    `git push -u origin ${branch}`,
    "~~~",
    "",
    `Then open a pull request from ${code(s.branch)} into ${code(s.baseRef)} that mentions incident #${s.incidentNumber}.`,
  ].join("\n");
}
