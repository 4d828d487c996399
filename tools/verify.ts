import { parseVerifyArgs } from "./verify/options";
import { verify } from "./verify/run";
import { runStackOffline } from "./stack-run";

// `npm run verify [-- --stack home] [-- --kubeconfig FILE] [-- --json]`: after `pulumi up`, checks that the
// running cluster is the one the stack describes (the spec's troubleshooting steps, as one command), and
// says for each difference what to fix. Reads the stack the way `npm run plan` does; see tools/verify/.

export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error, env: NodeJS.ProcessEnv = process.env): Promise<number> {
    const options = parseVerifyArgs(argv);
    const { run, spec } = await runStackOffline(options.stack, { configFile: options.configFile });
    if (run.error || !spec) {
        err(run.error?.message ?? "the stack's config does not validate");
        return 1;
    }
    return verify(spec, options, { out, err, env, colour: Boolean(process.stdout.isTTY) && !env.NO_COLOR });
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error) => {
            console.error(`homelab verify: ${error instanceof Error ? error.message : error}`);
            process.exit(2);
        },
    );
}
