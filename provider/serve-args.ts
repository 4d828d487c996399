// The engine's address, as the SDK's provider server finds it (@pulumi/pulumi 3.248.0 provider/internals.js parseArgs).

/** The engine's address among the plugin's arguments (`--logtostderr`, `-v=N` and `--tracing <addr>` skipped). */
export function engineAddress(args: readonly string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--tracing") i++;
        else if (args[i] !== "--logtostderr" && !args[i].startsWith("-v=")) return args[i];
    }
    return undefined;
}
