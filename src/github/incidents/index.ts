// Incident issues on GitHub, owned by one module: see store.ts.
export type { GitHubClient, RepoRef } from "./client.js";
export { statusOf } from "./client.js";
export { GITHUB_TEXT_LIMIT, fitComment, fitIssueBody } from "./limits.js";
export { labelNames, mergeLabels, sameLabels } from "./labels.js";
export type { CreatedIssue, IncidentWrite, NewIssue, StoredIncident } from "./store.js";
export { GitHubRefusedError, IncidentStore, incidentLockKey } from "./store.js";
export type { AuthorRule, IssueAuthor } from "./trust.js";
export { onlyAuthors } from "./trust.js";
