/** What a CLI command may touch, so tests can run commands in-process. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Documented exit codes. */
export const EXIT = { pass: 0, fail: 1, usage: 2, inconclusive: 3 } as const;
