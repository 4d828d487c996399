import { execFileSync } from "child_process";
import * as fs from "fs";
import { performance } from "perf_hooks";
import * as os from "os";
import * as path from "path";
import { evaluate } from "./offline/engine";
import { knownSecrets, projectRoot, stackConfigFromObject, stackValues } from "./offline/stack-config";
import { RecordedRun } from "./offline/record";
import { planPreview } from "./offline/preview-plan";
import { table } from "./plan-report";
import { buildPlan } from "./waves";

// `npm run bench`: figures measured in one run, printed as a table. Nothing here is estimated.

const runs = 5;
const standIn = (key: string) => `<bench secret ${key}>`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const sdks = ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/cloudflare", "@muhlba91/pulumi-proxmoxve", "@pulumiverse/talos"];

/** A cold `require` of the provider SDKs in a fresh Node process: the floor any evaluation pays. */
function sdkLoadMs(): number {
    const script = `const t=performance.now();${JSON.stringify(sdks)}.forEach(m=>require(m));console.log(performance.now()-t)`;
    return Number(execFileSync(process.execPath, ["-e", script], { cwd: projectRoot, encoding: "utf8" }).trim());
}

interface ProcessRun {
    /** Wall time from spawn to exit. */
    ms: number;
    /** The process's own CPU time (user + system): steadier than wall time on a busy machine. */
    cpuMs: number;
    resources: number;
}

function timedProcess(args: string[]): ProcessRun {
    const start = performance.now();
    const out = execFileSync(process.execPath, args, { cwd: projectRoot, encoding: "utf8", maxBuffer: 1 << 20 });
    const ms = performance.now() - start;
    const result = JSON.parse(out.trim().split("\n").at(-1)!);
    if (result.error) throw new Error(result.error);
    return { ms, cpuMs: result.cpuMs, resources: result.resources ?? 0 };
}

/** The SDK floor as a whole process: spawn, load the five SDKs, exit. */
function sdkFloorProcess(): ProcessRun {
    const script = `${JSON.stringify(sdks)}.forEach(m=>require(m));const c=process.cpuUsage();console.log(JSON.stringify({cpuMs:(c.user+c.system)/1000}))`;
    return timedProcess(["-e", script]);
}

/** One evaluation as `pulumi up` runs the program: a whole process (tools/offline/pulumi-process.js). */
function programProcess(values: Record<string, unknown>): ProcessRun {
    const file = path.join(os.tmpdir(), `homelab-bench-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify(stackConfigFromObject(values, standIn, knownSecrets(values))));
    try {
        return timedProcess([path.join(projectRoot, "tools/offline/pulumi-process.js"), file]);
    } finally {
        fs.rmSync(file, { force: true });
    }
}

const processRuns = 3;
function medianProcess(run: () => ProcessRun): ProcessRun {
    const samples = Array.from({ length: processRuns }, run);
    return { ms: median(samples.map((s) => s.ms)), cpuMs: median(samples.map((s) => s.cpuMs)), resources: samples[0].resources };
}

/** The home stack (or `base`, a stack of its shape) grown to 3 control planes and `workers` workers, with the pool moved above them. */
export function grownValues(workers: number, base: Record<string, unknown> = stackValues("home")): Record<string, unknown> {
    const values = structuredClone(base) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    values["homelab:network"].loadBalancerRange = { start: "172.16.1.200", stop: "172.16.1.209" };
    values["homelab:gateways"] = { dns: "172.16.1.200", internal: "172.16.1.201", external: "172.16.1.202" };
    const hosts = ["pve1", "pve2", "pve3", "pve4"];
    for (let i = 0; i < workers; i++) {
        values["homelab:nodes"][3 + i] = { name: `talos-worker-${i + 1}`, role: "worker", ip: `172.16.1.${53 + i}`, host: hosts[i % 4], vmId: 153 + i, cores: 4, memoryMiB: 8192, diskGiB: 64 };
    }
    return values;
}

async function run(values: Record<string, unknown>): Promise<{ ms: number; run: RecordedRun }> {
    const stack = stackConfigFromObject(values, standIn, knownSecrets(values));
    const start = performance.now();
    const result = await evaluate(stack.config, stack.secretKeys);
    const ms = performance.now() - start;
    if (result.error) throw result.error;
    return { ms, run: result };
}

async function timed(values: Record<string, unknown>) {
    const samples: number[] = [];
    let last!: RecordedRun;
    for (let i = 0; i < runs; i++) {
        const r = await run(values);
        samples.push(r.ms);
        last = r.run;
    }
    return { ms: median(samples), run: last };
}

/** What one resource of a kind costs, from 100 of them alone (fixture program), median of `runs`. */
async function costPerKind(kind: string): Promise<number> {
    process.env.BENCH_KIND = kind;
    const program = path.join(projectRoot, "tools/offline/fixtures/kinds-program.ts");
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const result = await evaluate({}, [], { program });
        if (result.error) throw result.error;
        samples.push((performance.now() - start) / result.resources.length);
    }
    return median(samples);
}

/** Existing resources whose inputs changed, as the engine compares them. */
function changedResources(a: RecordedRun, b: RecordedRun): number {
    const before = new Map(a.resources.map((r) => [r.urn, r]));
    return planPreview(a.resources, b.resources).filter((s) => before.has(s.urn) && (s.op === "update" || s.op === "replace")).length;
}

async function main() {
    // The headline: whole processes, floor and program interleaved so both see the same machine load.
    const floorRuns: ProcessRun[] = [];
    const homeRuns: ProcessRun[] = [];
    for (let i = 0; i < processRuns; i++) {
        floorRuns.push(sdkFloorProcess());
        homeRuns.push(programProcess(stackValues("home")));
    }
    const pick = (runs: ProcessRun[]) => ({ ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), resources: runs[0].resources });
    const floorProcess = pick(floorRuns);
    const homeProcess = pick(homeRuns);
    const bigProcess = medianProcess(() => programProcess(grownValues(60)));
    // The program's own cost per resource, above the floor.
    const perResourceAboveFloor = (r: ProcessRun) => ((r.ms - floorProcess.ms) / r.resources).toFixed(1);
    const cpuPerResourceAboveFloor = (r: ProcessRun) => ((r.cpuMs - floorProcess.cpuMs) / r.resources).toFixed(1);

    const floor = median(Array.from({ length: runs }, sdkLoadMs));
    const home = stackValues("home");
    const cold = await run(home);
    const warm = await timed(home);
    const mid = await timed(grownValues(30));
    const big = await timed(grownValues(60));
    const again = await run(home);
    const byUrn = (r: RecordedRun) => JSON.stringify([...r.resources].sort((a, b) => a.urn.localeCompare(b.urn)));
    const identical = byUrn(again.run) === byUrn(warm.run);

    const plusWorker = structuredClone(home) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    plusWorker["homelab:nodes"].push({ name: "talos-worker-2", role: "worker", ip: "172.16.1.54", host: "pve4", vmId: 154 });
    const resized = structuredClone(home) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    resized["homelab:nodes"][1].memoryMiB = 16384;
    const added = await run(plusWorker);
    const grown = await run(resized);

    const kinds = ["VmLegacy", "ConfigurationApply", "Namespace"];
    const perKind = [];
    for (const kind of kinds) perKind.push(`${kind} ${(await costPerKind(kind)).toFixed(2)}`);

    const count = (r: RecordedRun) => r.resources.length;
    const perResource = (ms: number, r: RecordedRun) => (ms / count(r)).toFixed(2);
    console.log(`homelab bench: ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}; whole processes: medians of ${processRuns}, in-process: medians of ${runs}\n`);
    console.log(
        table(
            ["figure", "value"],
            [
                ["HEADLINE home stack as `pulumi up` evaluates it: whole process / SDK floor process", `${(homeProcess.ms / floorProcess.ms).toFixed(2)}x wall (${homeProcess.ms.toFixed(0)} / ${floorProcess.ms.toFixed(0)} ms), ${(homeProcess.cpuMs / floorProcess.cpuMs).toFixed(2)}x CPU (${homeProcess.cpuMs.toFixed(0)} / ${floorProcess.cpuMs.toFixed(0)} ms)`],
                ["3 + 60 nodes, whole process", `${bigProcess.ms.toFixed(0)} ms wall, ${bigProcess.cpuMs.toFixed(0)} ms CPU, ${bigProcess.resources} resources`],
                [
                    "whole process above the floor, per resource: home / 3 + 60 nodes",
                    `${perResourceAboveFloor(homeProcess)} / ${perResourceAboveFloor(bigProcess)} ms wall, ${cpuPerResourceAboveFloor(homeProcess)} / ${cpuPerResourceAboveFloor(bigProcess)} ms CPU`,
                ],
                ["SDK load, cold process (floor, in-process timer)", `${floor.toFixed(0)} ms`],
                ["in-process (mock engine, no stack traces): home stack, first evaluation (transpiles the program)", `${cold.ms.toFixed(0)} ms, ${count(cold.run)} resources`],
                ["home stack evaluation", `${warm.ms.toFixed(0)} ms, ${count(warm.run)} resources, ${perResource(warm.ms, warm.run)} ms/resource`],
                ["home evaluation / SDK floor", `${(warm.ms / floor).toFixed(2)}x (cold first: ${(cold.ms / floor).toFixed(2)}x)`],
                ["3 control planes + 60 workers evaluation", `${big.ms.toFixed(0)} ms, ${count(big.run)} resources, ${perResource(big.ms, big.run)} ms/resource`],
                [
                    "cost per added resource: home -> 33 nodes, 33 -> 63 nodes (linear when equal)",
                    `${((mid.ms - warm.ms) / (count(mid.run) - count(warm.run))).toFixed(2)} / ${((big.ms - mid.ms) / (count(big.run) - count(mid.run))).toFixed(2)} ms`,
                ],
                ["cost of one resource by kind (100 alone), ms", perKind.join(", ")],
                ["serial depth, home / 63 nodes", `${buildPlan(warm.run.resources).waves.length} / ${buildPlan(big.run.resources).waves.length} waves`],
                ["determinism (two evaluations)", identical ? "byte-identical inputs" : "DIFFERENT"],
                ["blast radius: add a worker", `${changedResources(warm.run, added.run)} existing resources changed, ${count(added.run) - count(warm.run)} added`],
                ["blast radius: resize one VM", `${changedResources(warm.run, grown.run)} resources changed`],
            ],
        ),
    );
}

if (require.main === module) {
    main().then(
        () => process.exit(0),
        (error) => {
            console.error(error);
            process.exit(1);
        },
    );
}
