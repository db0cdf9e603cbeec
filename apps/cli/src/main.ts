import { CommanderError } from 'commander';
import { buildProgram } from './program';
import { EXIT, exitCodeOf, messageOf } from './exit-codes';

/** Runs the CLI; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(messageOf(e) + '\n');
    return exitCodeOf(e);
  }
}

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
