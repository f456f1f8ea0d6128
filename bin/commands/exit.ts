// The exit status a command asks for, collected here so the CLI can run in-process (tests) without
// touching process.exitCode until main() returns.
let requested = 0;

export function requestExit(code: number): void {
  requested = Math.max(requested, code);
}

export function takeExitCode(): number {
  const code = requested;
  requested = 0;
  return code;
}
