#!/usr/bin/env node
// The aftershock command line: one entry, one module per subcommand.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCheck } from "./check.js";
import { closest } from "../core/config/did-you-mean.js";
import { EXIT, writeFailure, type CliIo } from "./io.js";
import { runReport } from "./report.js";
import { runSuspects } from "./suspects.js";
import { VERSION } from "./version.js";

const HELP = `Usage: aftershock <command> [options]

Commands:
  check      verify a deploy against Prometheus (or backtest a past one)
  suspects   rank the merged PRs most likely behind an alert
  report     incidents, MTTA/MTTR, hotspots and open action items over a period
  demo       the whole story offline: gate, alert, incident, rollback, post-mortem

Run 'aftershock <command> --help' for a command's options; 'aftershock --version' prints the version.
`;

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  check: (argv, io) => runCheck(argv, io),
  suspects: runSuspects,
  report: (argv, io) => runReport(argv, io),
  demo: async (argv, io) => (await import("./demo.js")).runDemo(argv, io),
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    io.stdout(HELP);
    return command ? EXIT.pass : EXIT.usage;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    io.stdout(`${VERSION}\n`);
    return EXIT.pass;
  }
  const run = COMMANDS[command];
  if (!run) {
    const names = Object.keys(COMMANDS);
    const near = closest(command, names);
    const hint = near === undefined ? `; commands: ${names.join(", ")}` : `; did you mean ${near}?`;
    return writeFailure("", `unknown command "${command}"${hint}`, EXIT.usage, io, rest);
  }
  return run(rest, io);
}

/** Runs the CLI on this process's arguments and sets its exit code. */
export function runCli(): void {
  const io: CliIo = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`aftershock: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}

// `node dist/cli.js …` and `tsx src/cli/main.ts …` run directly; bin/aftershock.js calls runCli().
if (isEntry()) runCli();

function isEntry(): boolean {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
