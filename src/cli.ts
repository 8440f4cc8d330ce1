import { exitStatusOfStreams, guardStandardStreams } from './output.ts';
import { runProgram } from './program.ts';

/**
 * The `offers` entry point (bin/offers.mjs): runs the program of src/program.ts on this process's
 * arguments. This is the only place that calls process.exit, with a code of the ExitCode table
 * (src/errors.ts).
 */
guardStandardStreams();
const code = await runProgram(process.argv);

// Exit explicitly: a stray handle (a timer, a socket) must not keep a finished command alive.
// But first let a piped stdout take everything: process.exit drops what a pipe has not read yet
// (an `offers export` of a few hundred offers lost most of its lines). A stream that failed
// (a full disk) makes the exit status 1.
process.exit(await exitStatusOfStreams(code));
