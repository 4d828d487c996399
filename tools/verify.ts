import { exitWith, runCommand } from "./cli";
import { verifyCommand, verifyOptions } from "./verify/options";
import { loadStackSpec, stackSource } from "./stack";
import type * as checks from "./verify/run";

// `npm run verify [-- --stack home] [-- --kubeconfig FILE] [-- --json]`: after `pulumi up`, checks that the
// running cluster is the one the stack describes (the spec's troubleshooting steps, as one command), and
// says for each difference what to fix. It reads the flags and the stack with the pure config code first, and
// loads the checks (the Kubernetes client among them) only once both are right; see tools/verify/.

export function main(
    argv: string[],
    out: (line: string) => void = console.log,
    err: (line: string) => void = console.error,
    env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
    return runCommand(
        verifyCommand,
        argv,
        async (values) => {
            const options = verifyOptions(values);
            const { spec } = loadStackSpec(stackSource(values));
            const { verify }: typeof checks = require("./verify/run");
            return verify(spec, options, { out, err, env, colour: Boolean(process.stdout.isTTY) && !env.NO_COLOR });
        },
        { out, err },
        2,
    );
}

if (require.main === module) exitWith(main(process.argv.slice(2)));
