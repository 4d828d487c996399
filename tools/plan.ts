import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { planAddresses, planSegments, validateConfig } from "../components/spec";
import { evaluate } from "../test/harness/engine";
import { declaredSecrets, loadStackConfig, planStandIn, projectRoot, stackConfigFromObject } from "../test/harness/stack-config";
import { toDot, renderSvg } from "./graph-dot";
import { allocationTable, componentTree, criticalPathTable, minutes, segmentTable, waveList } from "./plan-report";
import { buildPlan } from "./waves";

// `npm run plan [-- --stack home] [-- --config path/to/Pulumi.x.yaml]`: the program, offline. Runs
// index.ts under the recording mock engine with placeholder secrets and prints what would be built.

interface Options {
    stack: string;
    configFile?: string;
    out: string;
    svg: string;
}

function parseArgs(argv: string[]): Options {
    const options: Options = { stack: "home", out: path.join(projectRoot, "plan.json"), svg: path.join(projectRoot, "plan.svg") };
    for (let i = 0; i < argv.length; i++) {
        const value = argv[i + 1];
        if (argv[i] === "--stack" && value) options.stack = argv[++i];
        else if (argv[i] === "--config" && value) options.configFile = path.resolve(argv[++i]);
        else if (argv[i] === "--out" && value) options.out = path.resolve(argv[++i]);
        else if (argv[i] === "--svg" && value) options.svg = path.resolve(argv[++i]);
        else throw new Error(`unknown argument ${argv[i]}: use --stack NAME, --config FILE, --out FILE or --svg FILE`);
    }
    return options;
}

function readStack(options: Options) {
    if (!options.configFile) return loadStackConfig(options.stack);
    const values = YAML.parse(fs.readFileSync(options.configFile, "utf8"))?.config ?? {};
    return stackConfigFromObject(values, planStandIn, declaredSecrets());
}

export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
    const options = parseArgs(argv);
    const stack = readStack(options);
    const run = await evaluate(stack.config, stack.secretKeys, { stack: options.stack });
    if (run.error) {
        err(run.error.message);
        return 1;
    }
    // The same validation the program just passed, for the tables it knows how to print.
    const raw = Object.fromEntries(Object.entries(stack.config).filter(([k]) => !stack.secretKeys.includes(k)).map(([k, v]) => [k.slice("homelab:".length), k === "homelab:domain" ? v : JSON.parse(v)]));
    const result = validateConfig(raw, new Set(stack.secretKeys.map((k) => k.slice("homelab:".length))));
    if (!result.ok) throw new Error("validation disagrees with the program run");

    const build = buildPlan(run.resources);
    out(`homelab plan: stack ${options.stack} (offline, mock engine; secrets are placeholders)\n`);
    out(`Resources by component (${run.resources.length} registrations)`);
    out(componentTree(run.resources));
    out("\nNetwork segments");
    out(segmentTable(planSegments(result.spec)));
    out("\nIP allocation");
    out(allocationTable(planAddresses(result.spec)));
    out(`\nBuild waves (serial depth ${build.waves.length}: each wave starts when everything it needs is done)`);
    out(waveList(build));
    out(`\nCritical path: first pulumi up takes about ${minutes(build.estimateSeconds)} (typical durations, tools/durations.ts)`);
    out(criticalPathTable(build));
    fs.writeFileSync(options.out, JSON.stringify({ stack: options.stack, resources: run.resources, invokes: run.invokes, build }, null, 2) + "\n");
    fs.writeFileSync(options.svg, await renderSvg(toDot(run.resources, build)));
    out(`\nWrote ${path.relative(process.cwd(), options.out) || options.out} and ${path.relative(process.cwd(), options.svg) || options.svg}`);
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
