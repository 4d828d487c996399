import type { PlainSpec } from "../../components/config";
import { Check, runChecks } from "./check";
import { ciliumChecks } from "./cilium";
import { cloudflareChecks } from "./cloudflare";
import { verifyContext } from "./context";
import { dnsChecks } from "./dns";
import { gatewayChecks } from "./gateways";
import { inClusterCheck } from "./in-cluster";
import { describeApiError, isApiException, kubeApis, loadKubeconfig } from "./kube";
import { cloudflareTokenEnv, VerifyOptions } from "./options";
import { exitCode, jsonReport, summaryLine, tableHeader, tableRow } from "./report";

// One verify run against a validated spec: find the API, make sure it answers, run every check, report.

export interface VerifyIo {
    out(line: string): void;
    err(line: string): void;
    /** Colour the table (only when stdout is a terminal). */
    colour: boolean;
    env: NodeJS.ProcessEnv;
    /** Where SIGINT and SIGTERM arrive (the process; a test's emitter). */
    signals?: Pick<NodeJS.EventEmitter, "once" | "off">;
    /** Ends the process after a signal's cleanup (process.exit; a test's recorder). */
    exit?: (code: number) => void;
}

/** Runs every cleanup still registered (each bounded by the API client's timeout), once. */
async function runCleanups(cleanups: Set<() => Promise<unknown>>): Promise<void> {
    const pending = [...cleanups];
    cleanups.clear();
    await Promise.allSettled(pending.map((cleanup) => cleanup()));
}

/** Exit code 2: the run could not start (no kubeconfig, API unreachable); 1: a check failed; 0: nothing failed. */
export async function verify(spec: PlainSpec, options: VerifyOptions, io: VerifyIo): Promise<number> {
    const started = Date.now();
    // One line on stderr; with --json also a document on stdout, so a machine reading it learns why.
    const cannotStart = (message: string) => {
        io.err(`homelab verify: ${message}`);
        if (options.json) io.out(JSON.stringify({ stack: options.stack, ok: false, error: message }, null, 2));
        return 2;
    };
    let source;
    try {
        source = await loadKubeconfig({ file: options.kubeconfig, stack: options.stack, env: io.env, timeoutMs: options.timeoutMs });
    } catch (error) {
        return cannotStart((error as Error).message.split("\n")[0]);
    }
    const kube = await kubeApis(source.config, options.timeoutMs);
    try {
        await kube.version.getCode();
    } catch (error) {
        const why = describeApiError(error, options.timeoutMs);
        return cannotStart(
            isApiException(error)
                ? `the Kubernetes API at ${kube.server} refused the probe: ${why} (kubeconfig from ${source.from}; is it this cluster's admin kubeconfig, and current?)`
                : `cannot reach the Kubernetes API at ${kube.server}: ${why} (kubeconfig from ${source.from}; is the VIP ${spec.talos.vip} up and this machine on ${spec.network.nodeCidr}?)`,
        );
    }

    const ctx = verifyContext(spec, kube, options, io.env[cloudflareTokenEnv] || undefined);
    const cloudflare = cloudflareChecks(ctx);
    const checks: Check[] = [
        ...ciliumChecks(ctx),
        ...gatewayChecks(ctx),
        ...dnsChecks(ctx),
        ...cloudflare.dns,
        ...(options.inCluster ? [inClusterCheck(ctx)] : []),
        ...cloudflare.tunnel,
    ];
    if (!options.json) {
        io.out(`homelab verify: stack ${options.stack}, API ${kube.server} (kubeconfig from ${source.from})\n`);
        io.out(tableHeader());
    }
    // Ctrl-C or a kill removes what the checks made in the cluster before the process ends (130/143, as a shell reports them).
    const signals = io.signals ?? process;
    const onSignal = (signal: NodeJS.Signals) => {
        io.err(`homelab verify: ${signal}: removing what the checks made in the cluster, then stopping`);
        void runCleanups(ctx.cleanups).finally(() => (io.exit ?? process.exit)(signal === "SIGINT" ? 130 : 143));
    };
    signals.once("SIGINT", onSignal);
    signals.once("SIGTERM", onSignal);
    let results;
    try {
        results = await runChecks(checks, Math.max(1, options.deadlineMs - (Date.now() - started)), (result) => {
            if (!options.json) io.out(tableRow(result, io.colour));
        });
    } finally {
        signals.off("SIGINT", onSignal);
        signals.off("SIGTERM", onSignal);
    }
    // A check cut off by the run's deadline is still running: remove what it made before the process exits.
    await runCleanups(ctx.cleanups);
    const seconds = (Date.now() - started) / 1000;
    io.out(options.json ? jsonReport(options.stack, results, seconds) : `\n${summaryLine(results, seconds, io.colour)}`);
    return exitCode(results);
}
