import * as fs from "fs";
import * as path from "path";
import { planAddresses, planSegments, configWarnings } from "../components/config";
import { CommandSpec, exitWith, FlagValues, runCommand, stackFlags, textFlag } from "./cli";
import { runStackOffline } from "./stack-run";
import { defaultOutDir, stackSource } from "./stack";
import { toDot, renderSvg } from "./graph-dot";
import { allocationTable, componentTree, criticalPathTable, minutes, segmentTable, verdictTable, waveList } from "./plan-report";
import { buildOrder } from "./waves";
import { policyConfigFromSpec } from "../policy/config";
import { policyConfigFile } from "../policy/policies";
import { runPolicies } from "../policy/run";

// `npm run plan`: the program, offline. Runs index.ts under the offline engine (tools/offline/: Pulumi's mocks, recording) with placeholder secrets
// and prints what would be built; writes the graph, its picture and the policy pack's config to out/<stack>/.

export const planCommand: CommandSpec = {
    name: "plan",
    summary:
        "Evaluates the whole program offline (the offline engine on Pulumi's mocks, placeholder secrets, no credentials, no cloud) and prints the " +
        "resources by component, the IP plan, the build in waves with the critical path, and every policy verdict.",
    flags: {
        ...stackFlags,
        "out-dir": { value: "DIR", help: "Write plan.json, plan.svg and policy-config.json here (default: out/<stack>/, ignored by git)." },
        program: { value: "FILE", help: "Evaluate another program than index.ts (the tests' fixtures)." },
    },
    notes: [
        "Then: pulumi preview --policy-pack policy --policy-pack-config out/<stack>/policy-config.json",
        "Exit codes: 0 planned; 1 the stack file or its config is wrong (every problem listed); 2 a mandatory policy",
        "violation, or a wrong command line.",
    ],
};

export function main(
    argv: string[],
    out: (line: string) => void = console.log,
    err: (line: string) => void = console.error,
): Promise<number> {
    return runCommand(planCommand, argv, (values) => plan(values, out, err), { out, err });
}

async function plan(values: FlagValues, out: (line: string) => void, err: (line: string) => void): Promise<number> {
    const source = stackSource(values);
    const outDir = path.resolve(textFlag(values, "out-dir") ?? defaultOutDir(source));
    const program = textFlag(values, "program");
    const { run, spec } = await runStackOffline(source, { program: program && path.resolve(program) });
    const build = buildOrder(run.resources);
    out(`homelab plan: ${source.shownAs}, stack ${source.stack} (offline engine; secrets are placeholders)\n`);
    const warnings = configWarnings(spec);
    if (warnings.length) out(`Warnings\n${warnings.map((w) => `  - ${w}`).join("\n")}\n`);
    out(`Resources by component (${run.resources.length} registrations)`);
    out(componentTree(run.resources));
    out("\nNetwork segments");
    out(segmentTable(planSegments(spec)));
    out("\nIP allocation");
    out(allocationTable(planAddresses(spec)));
    const skipped = (run.exports.skippedDnsForwarders?.value as string[] | undefined) ?? [];
    const forwarders = Object.keys(spec.dnsForwarders).length;
    out(
        `\nSplit DNS: ${
            forwarders === 0
                ? `no forwarder configured (homelab:dnsForwarders): have your resolver forward ${spec.domain} to k8s_gateway at ${spec.gateways.dns}`
                : skipped.length
                  ? `skipped ${skipped.join("; ")}`
                  : "AdGuard Home and Technitium both forward the domain to k8s_gateway"
        }`,
    );
    out(`\nBuild waves (serial depth ${build.waves.length}: each wave starts when everything it needs is done)`);
    out(waveList(build));
    out(`\nCritical path: first pulumi up takes about ${minutes(build.estimateSeconds)} (typical durations, tools/durations.ts)`);
    out(criticalPathTable(build));
    const verdicts = await runPolicies(
        run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })),
        policyConfigFromSpec(spec),
    );
    const blocking = verdicts.filter((v) => v.enforcementLevel === "mandatory");
    out(
        `\nPolicy verdicts (policy pack homelab-network over ${run.resources.length} registrations): ${verdicts.length ? `${verdicts.length} found, ${blocking.length} mandatory` : "every rule passes"}`,
    );
    if (verdicts.length) out(verdictTable(verdicts));

    // The pack's config comes from the same stack file, so the two never drift.
    const written = {
        plan: path.join(outDir, "plan.json"),
        svg: path.join(outDir, "plan.svg"),
        policy: path.join(outDir, "policy-config.json"),
    };
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(
        written.plan,
        JSON.stringify({ stack: source.stack, resources: run.resources, invokes: run.invokes, build, verdicts }, null, 2) + "\n",
    );
    fs.writeFileSync(written.svg, await renderSvg(toDot(run.resources, build)));
    fs.writeFileSync(written.policy, JSON.stringify(policyConfigFile(spec), null, 2) + "\n");
    const shown = (file: string) => path.relative(process.cwd(), file) || file;
    out(`\nWrote ${Object.values(written).map(shown).join(", ")}`);
    out(`Policy pack: pulumi preview --policy-pack policy --policy-pack-config ${shown(written.policy)}`);
    if (blocking.length) {
        err(
            `${blocking.length} mandatory policy violation${blocking.length === 1 ? "" : "s"}: pulumi preview --policy-pack policy would refuse this plan`,
        );
        return 2;
    }
    return 0;
}

if (require.main === module) exitWith(main(process.argv.slice(2)));
