import { codeCommand, findingsCommand } from './analysis-commands.ts';

// A small runner for the analysis commands; the main CLI (src/cli.ts) dispatches to the same functions.
const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (argv: string[]) => Promise<number>> = {
  code: codeCommand,
  findings: findingsCommand,
};
const handler = command ? commands[command] : undefined;
if (!handler) {
  process.stderr.write('Usage: analysis-main <code|findings> [options] (--help for details)\n');
  process.exitCode = 2;
} else {
  process.exitCode = await handler(rest);
}
