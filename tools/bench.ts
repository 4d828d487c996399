import { execFileSync } from "child_process";
import * as fs from "fs";
import { performance } from "perf_hooks";
import * as os from "os";
import * as path from "path";
import { CommandSpec, countFlag, exitWith, FlagValues, runCommand } from "./cli";
import { evaluate } from "./offline/engine";
import { knownSecrets, projectRoot, readStackFile, stackConfigFromObject } from "../components/config/stack-file";
import { RecordedRun } from "./offline/record";
import { previewSteps } from "./offline/preview-steps";
import { markdownTable } from "./table";
import { buildOrder } from "./waves";

// `npm run bench`: figures measured in one run, printed as a table with each figure's spread. Nothing here is
// estimated. It measures the spec's home network (test/fixtures/home.yaml, the stack the tests own) and that stack
// grown to 63 nodes, so figures compare from run to run whatever the user's Pulumi.home.yaml says.

export const benchStackFile = path.join(projectRoot, "test/fixtures/home.yaml");

export const benchCommand: CommandSpec = {
    name: "bench",
    summary:
        "Measures the program: whole processes as `pulumi up` runs it against the SDKs' own load time, in-process evaluations " +
        "of the home stack and of 3 + 60 nodes, the cost per resource and per kind, serial depth, determinism and blast radius. " +
        "Prints progress to stderr and each figure's min / median / max. Takes about a minute and a half.",
    flags: {
        runs: { value: "N", help: "Samples of each in-process figure (default 5)." },
        "process-runs": { value: "N", help: "Samples of each whole-process figure (default 3)." },
    },
    notes: [
        "Reads test/fixtures/home.yaml (the spec's home network), never Pulumi.home.yaml. Exit codes: 0 measured; 1 a run failed; 2 a wrong command line.",
    ],
};

const standIn = (key: string) => `<bench secret ${key}>`;
const sdks = ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/cloudflare", "@muhlba91/pulumi-proxmoxve", "@pulumiverse/talos"];

/** The samples of one figure: the median is what the table reports, min and max its spread. */
export interface Spread {
    min: number;
    median: number;
    max: number;
    n: number;
}

export function spreadOf(samples: readonly number[]): Spread {
    const sorted = [...samples].sort((a, b) => a - b);
    return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1], n: sorted.length };
}

/** `1274 ms (1201-1390, 3 runs)`: the median, its unit (" ms", "x wall") and the spread, to `digits` decimals. */
export function spreadText(s: Spread, unit = " ms", digits = 0): string {
    const f = (x: number) => x.toFixed(digits);
    return `${f(s.median)}${unit} (${f(s.min)}-${f(s.max)}, ${s.n} run${s.n === 1 ? "" : "s"})`;
}

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

/** The home stack's values (the fixture), to edit. */
export function homeBenchValues(): Record<string, any> /* eslint-disable-line @typescript-eslint/no-explicit-any */ {
    return readStackFile(benchStackFile);
}

/** The home stack (or `base`, a stack of its shape) grown to 3 control planes and `workers` workers, with the pool moved above them. */
export function grownValues(workers: number, base: Record<string, unknown> = homeBenchValues()): Record<string, unknown> {
    const values = structuredClone(base) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    values["homelab:network"].loadBalancerRange = { start: "172.16.1.200", stop: "172.16.1.209" };
    values["homelab:gateways"] = { dns: "172.16.1.200", internal: "172.16.1.201", external: "172.16.1.202" };
    const hosts = ["pve1", "pve2", "pve3", "pve4"];
    for (let i = 0; i < workers; i++) {
        values["homelab:nodes"][3 + i] = {
            name: `talos-worker-${i + 1}`,
            role: "worker",
            ip: `172.16.1.${53 + i}`,
            host: hosts[i % 4],
            vmId: 153 + i,
            cores: 4,
            memoryMiB: 8192,
            diskGiB: 64,
        };
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

async function sampled(values: Record<string, unknown>, runs: number): Promise<{ spread: Spread; run: RecordedRun }> {
    const samples: number[] = [];
    let last!: RecordedRun;
    for (let i = 0; i < runs; i++) {
        const r = await run(values);
        samples.push(r.ms);
        last = r.run;
    }
    return { spread: spreadOf(samples), run: last };
}

/** What one resource of a kind costs, from 100 of them alone (fixture program), per run. */
async function costPerKind(kind: string, runs: number): Promise<Spread> {
    process.env.BENCH_KIND = kind;
    const program = path.join(projectRoot, "tools/offline/fixtures/kinds-program.ts");
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const result = await evaluate({}, [], { program });
        if (result.error) throw result.error;
        samples.push((performance.now() - start) / result.resources.length);
    }
    return spreadOf(samples);
}

/** Existing resources whose inputs changed, as the engine compares them. */
function changedResources(a: RecordedRun, b: RecordedRun): number {
    const before = new Map(a.resources.map((r) => [r.urn, r]));
    return previewSteps(a.resources, b.resources).filter((s) => before.has(s.urn) && (s.op === "update" || s.op === "replace")).length;
}

export function main(
    argv: string[],
    out: (line: string) => void = console.log,
    err: (line: string) => void = console.error,
): Promise<number> {
    return runCommand(benchCommand, argv, (values) => bench(values, out, err), { out, err });
}

async function bench(values: FlagValues, out: (line: string) => void, err: (line: string) => void): Promise<number> {
    const runs = countFlag(values, "runs", 5, 1, 50);
    const processRuns = countFlag(values, "process-runs", 3, 1, 20);
    const steps = 9;
    let step = 0;
    const started = performance.now();
    const progress = (what: string) =>
        err(`bench [${++step}/${steps}] ${what} (${((performance.now() - started) / 1000).toFixed(0)} s so far)`);

    // The headline: whole processes, floor and program interleaved so both see the same machine load.
    progress(`whole processes: SDK floor and home stack, interleaved, ${processRuns} each`);
    const home = homeBenchValues();
    const floorRuns: ProcessRun[] = [];
    const homeRuns: ProcessRun[] = [];
    for (let i = 0; i < processRuns; i++) {
        floorRuns.push(sdkFloorProcess());
        homeRuns.push(programProcess(home));
    }
    const ratios = (key: "ms" | "cpuMs") => spreadOf(homeRuns.map((h, i) => h[key] / floorRuns[i][key]));
    const floorWall = spreadOf(floorRuns.map((r) => r.ms));
    const floorCpu = spreadOf(floorRuns.map((r) => r.cpuMs));
    const homeWall = spreadOf(homeRuns.map((r) => r.ms));
    const homeCpu = spreadOf(homeRuns.map((r) => r.cpuMs));
    progress(`whole process: 3 + 60 nodes, ${processRuns} runs`);
    const bigRuns = Array.from({ length: processRuns }, () => programProcess(grownValues(60)));
    const bigWall = spreadOf(bigRuns.map((r) => r.ms));
    const bigCpu = spreadOf(bigRuns.map((r) => r.cpuMs));
    // The program's own cost per resource, above the floor (medians).
    const aboveFloor = (median: number, floor: number, resources: number) => ((median - floor) / resources).toFixed(1);

    progress(`SDK load in a cold process, ${runs} runs`);
    const floor = spreadOf(Array.from({ length: runs }, sdkLoadMs));
    progress("in-process: home stack, first evaluation (transpiles the program)");
    const cold = await run(home);
    progress(`in-process: home stack, ${runs} evaluations`);
    const warm = await sampled(home, runs);
    progress(`in-process: 3 + 30 and 3 + 60 nodes, ${runs} evaluations each`);
    const mid = await sampled(grownValues(30), runs);
    const big = await sampled(grownValues(60), runs);
    progress("determinism and blast radius");
    const again = await run(home);
    const byUrn = (r: RecordedRun) => JSON.stringify([...r.resources].sort((a, b) => a.urn.localeCompare(b.urn)));
    const identical = byUrn(again.run) === byUrn(warm.run);
    const plusWorker = homeBenchValues();
    plusWorker["homelab:nodes"].push({ name: "talos-worker-2", role: "worker", ip: "172.16.1.54", host: "pve4", vmId: 154 });
    const resized = homeBenchValues();
    resized["homelab:nodes"][1].memoryMiB = 16384;
    const added = await run(plusWorker);
    const grown = await run(resized);

    const kinds = ["VmLegacy", "ConfigurationApply", "Namespace"];
    progress(`cost of one resource by kind (${kinds.join(", ")}), ${runs} runs each`);
    const perKind: string[] = [];
    for (const kind of kinds) perKind.push(`${kind} ${spreadText(await costPerKind(kind, runs), "", 2)}`);
    progress("done");

    const count = (r: RecordedRun) => r.resources.length;
    const loadAverage = os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" / ");
    out(
        `homelab bench: ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadAverage} (1 / 5 / 15 min) at the end; ` +
            `whole processes: ${processRuns} runs, in-process: ${runs} runs; each figure is the median (min-max, runs)\n`,
    );
    out(
        markdownTable(
            ["figure", "value"],
            [
                [
                    "HEADLINE home stack as `pulumi up` evaluates it: whole process / SDK floor process (per interleaved pair)",
                    `${spreadText(ratios("ms"), "x wall", 2)}, ${spreadText(ratios("cpuMs"), "x CPU", 2)}`,
                ],
                [
                    "home stack, whole process",
                    `${spreadText(homeWall, " ms wall")}, ${spreadText(homeCpu, " ms CPU")}, ${homeRuns[0].resources} resources`,
                ],
                ["SDK floor, whole process", `${spreadText(floorWall, " ms wall")}, ${spreadText(floorCpu, " ms CPU")}`],
                [
                    "3 + 60 nodes, whole process",
                    `${spreadText(bigWall, " ms wall")}, ${spreadText(bigCpu, " ms CPU")}, ${bigRuns[0].resources} resources`,
                ],
                [
                    "whole process above the floor, per resource: home / 3 + 60 nodes (medians)",
                    `${aboveFloor(homeWall.median, floorWall.median, homeRuns[0].resources)} / ${aboveFloor(bigWall.median, floorWall.median, bigRuns[0].resources)} ms wall, ` +
                        `${aboveFloor(homeCpu.median, floorCpu.median, homeRuns[0].resources)} / ${aboveFloor(bigCpu.median, floorCpu.median, bigRuns[0].resources)} ms CPU`,
                ],
                ["SDK load, cold process (floor, in-process timer)", spreadText(floor)],
                [
                    "in-process (offline engine, no stack traces): home stack, first evaluation (transpiles the program)",
                    `${cold.ms.toFixed(0)} ms (1 run), ${count(cold.run)} resources`,
                ],
                [
                    "home stack evaluation",
                    `${spreadText(warm.spread)}, ${count(warm.run)} resources, ${(warm.spread.median / count(warm.run)).toFixed(2)} ms/resource`,
                ],
                [
                    "home evaluation / SDK floor (medians)",
                    `${(warm.spread.median / floor.median).toFixed(2)}x (cold first: ${(cold.ms / floor.median).toFixed(2)}x)`,
                ],
                [
                    "3 control planes + 60 workers evaluation",
                    `${spreadText(big.spread)}, ${count(big.run)} resources, ${(big.spread.median / count(big.run)).toFixed(2)} ms/resource`,
                ],
                [
                    "cost per added resource: home -> 33 nodes, 33 -> 63 nodes (medians; linear when equal)",
                    `${((mid.spread.median - warm.spread.median) / (count(mid.run) - count(warm.run))).toFixed(2)} / ${((big.spread.median - mid.spread.median) / (count(big.run) - count(mid.run))).toFixed(2)} ms`,
                ],
                ["cost of one resource by kind (100 alone), ms", perKind.join("; ")],
                [
                    "serial depth, home / 63 nodes",
                    `${buildOrder(warm.run.resources).waves.length} / ${buildOrder(big.run.resources).waves.length} waves`,
                ],
                ["determinism (two evaluations)", identical ? "byte-identical inputs" : "DIFFERENT"],
                [
                    "blast radius: add a worker",
                    `${changedResources(warm.run, added.run)} existing resources changed, ${count(added.run) - count(warm.run)} added`,
                ],
                ["blast radius: resize one VM", `${changedResources(warm.run, grown.run)} resources changed`],
            ],
        ),
    );
    return 0;
}

if (require.main === module) exitWith(main(process.argv.slice(2)));
