import * as fs from "fs";
import * as path from "path";
import { planAddresses, planSegments, configWarnings } from "../components/spec";
import { projectRoot } from "./offline/stack-config";
import { runStackOffline } from "./stack-run";
import { toDot, renderSvg } from "./graph-dot";
import { allocationTable, componentTree, criticalPathTable, minutes, segmentTable, verdictTable, waveList } from "./plan-report";
import { buildPlan } from "./waves";
import { policyConfigFromSpec } from "../policy/config";
import { policyConfigFile } from "../policy/policies";
import { runPolicies } from "../policy/run";

// `npm run plan [-- --stack home] [-- --config path/to/Pulumi.x.yaml]`: the program, offline. Runs
// index.ts under the recording mock engine with placeholder secrets and prints what would be built.

interface Options {
    stack: string;
    configFile?: string;
    out: string;
    svg: string;
    /**
     * Where the policy pack's config goes: asked for, or policy/<stack>.json for a --stack run. A --config run
     * writes none unless asked, so it never overwrites a committed stack's file.
     */
    policyConfig?: string;
    /** Another program than index.ts (tests only). */
    program?: string;
}

function parseArgs(argv: string[]): Options {
    const options: Options = { stack: "home", out: path.join(projectRoot, "plan.json"), svg: path.join(projectRoot, "plan.svg") };
    for (let i = 0; i < argv.length; i++) {
        const value = argv[i + 1];
        if (argv[i] === "--stack" && value) options.stack = argv[++i];
        else if (argv[i] === "--config" && value) options.configFile = path.resolve(argv[++i]);
        else if (argv[i] === "--out" && value) options.out = path.resolve(argv[++i]);
        else if (argv[i] === "--svg" && value) options.svg = path.resolve(argv[++i]);
        else if (argv[i] === "--policy-config" && value) options.policyConfig = path.resolve(argv[++i]);
        else if (argv[i] === "--program" && value) options.program = path.resolve(argv[++i]);
        else throw new Error(`unknown argument ${argv[i]}: use --stack NAME, --config FILE, --out FILE, --svg FILE or --policy-config FILE`);
    }
    return options;
}

export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
    const options = parseArgs(argv);
    let stackRun: Awaited<ReturnType<typeof runStackOffline>>;
    try {
        stackRun = await runStackOffline(options.stack, { configFile: options.configFile, program: options.program });
    } catch (error) {
        err(error instanceof Error ? error.message : String(error));
        return 1;
    }
    const { run, spec } = stackRun;
    if (run.error || !spec) {
        err(run.error?.message ?? "the program failed");
        return 1;
    }
    const build = buildPlan(run.resources);
    out(`homelab plan: ${options.configFile ? path.relative(process.cwd(), options.configFile) || options.configFile : `stack ${options.stack}`} (offline, mock engine; secrets are placeholders)\n`);
    const warnings = configWarnings(spec);
    if (warnings.length) out(`Warnings\n${warnings.map((w) => `  - ${w}`).join("\n")}\n`);
    out(`Resources by component (${run.resources.length} registrations)`);
    out(componentTree(run.resources));
    out("\nNetwork segments");
    out(segmentTable(planSegments(spec)));
    out("\nIP allocation");
    out(allocationTable(planAddresses(spec)));
    const skipped = (run.exports.skippedDnsForwarders?.value as string[] | undefined) ?? [];
    out(`\nSplit DNS: ${skipped.length ? `skipped ${skipped.join("; ")}` : "AdGuard Home and Technitium both forward the domain to k8s_gateway"}`);
    out(`\nBuild waves (serial depth ${build.waves.length}: each wave starts when everything it needs is done)`);
    out(waveList(build));
    out(`\nCritical path: first pulumi up takes about ${minutes(build.estimateSeconds)} (typical durations, tools/durations.ts)`);
    out(criticalPathTable(build));
    // The pack's config comes from the same stack file, so the two never drift.
    const policyFile = options.policyConfig ?? (options.configFile ? undefined : path.join(projectRoot, `policy/${options.stack}.json`));
    if (policyFile) fs.writeFileSync(policyFile, JSON.stringify(policyConfigFile(spec), null, 2) + "\n");
    const verdicts = await runPolicies(run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })), policyConfigFromSpec(spec));
    const blocking = verdicts.filter((v) => v.enforcementLevel === "mandatory");
    out(`\nPolicy verdicts (policy pack homelab-network over ${run.resources.length} registrations): ${verdicts.length ? `${verdicts.length} found, ${blocking.length} mandatory` : "every rule passes"}`);
    if (verdicts.length) out(verdictTable(verdicts));

    fs.writeFileSync(options.out, JSON.stringify({ stack: options.stack, resources: run.resources, invokes: run.invokes, build, verdicts }, null, 2) + "\n");
    fs.writeFileSync(options.svg, await renderSvg(toDot(run.resources, build)));
    const written = [options.out, options.svg, ...(policyFile ? [policyFile] : [])].map((f) => path.relative(process.cwd(), f) || f);
    out(`\nWrote ${written.join(", ")}`);
    if (blocking.length) {
        err(`${blocking.length} mandatory policy violation${blocking.length === 1 ? "" : "s"}: pulumi preview --policy-pack policy would refuse this plan`);
        return 2;
    }
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
        },
    );
}
