import * as fs from "fs";
import * as path from "path";
import { CommandSpec, exitWith, FlagValues, runCommand, stackFlags, textFlag } from "./cli";
import { networkPage } from "./docs-render";
import { renderSvg, toDot } from "./graph-dot";
import { runStackOffline } from "./stack-run";
import { defaultOutDir, StackSource, stackSource } from "./stack";
import { buildOrder } from "./waves";

// `npm run docs`: the network page (network.md) and the build graph (graph.svg) of the stack it is given, written
// only where it is told (default out/<stack>/, ignored). The committed docs/ are the spec's home network, made from
// test/fixtures/home.yaml by `npm run docs:project`; a test fails when they are stale.

export const docsCommand: CommandSpec = {
    name: "docs",
    summary:
        "Writes the stack's network page (network.md: segments, IP tables, Cilium, gateways and routes, split DNS, network " +
        "policies, the wildcard certificate, the public edge, the build graph) and the graph as a picture (graph.svg).",
    flags: {
        ...stackFlags,
        "out-dir": { value: "DIR", help: "Write network.md and graph.svg here (default: out/<stack>/, ignored by git)." },
    },
    notes: [
        "The committed docs/ and the README's day-2 table describe the spec's home network (test/fixtures/home.yaml):",
        "npm run docs:project regenerates them.",
        "Exit codes: 0 written; 1 the stack file or its config is wrong; 2 a wrong command line.",
    ],
};

export async function generateDocs(source: StackSource): Promise<{ markdown: string; svg: string }> {
    const { run, spec } = await runStackOffline(source);
    const build = buildOrder(run.resources);
    return { markdown: networkPage(spec, source.shownAs, build), svg: await renderSvg(toDot(run.resources, build)) };
}

/** Writes the two pages into `dir`; returns the files written. */
export async function writeDocs(source: StackSource, dir: string): Promise<string[]> {
    const { markdown, svg } = await generateDocs(source);
    fs.mkdirSync(dir, { recursive: true });
    const files = [path.join(dir, "network.md"), path.join(dir, "graph.svg")];
    fs.writeFileSync(files[0], markdown);
    fs.writeFileSync(files[1], svg);
    return files;
}

export function main(
    argv: string[],
    out: (line: string) => void = console.log,
    err: (line: string) => void = console.error,
): Promise<number> {
    return runCommand(docsCommand, argv, (values) => docs(values, out), { out, err });
}

async function docs(values: FlagValues, out: (line: string) => void): Promise<number> {
    const source = stackSource(values);
    const files = await writeDocs(source, path.resolve(textFlag(values, "out-dir") ?? defaultOutDir(source)));
    out(`Wrote ${files.map((f) => path.relative(process.cwd(), f) || f).join(" and ")} (from ${source.shownAs})`);
    return 0;
}

if (require.main === module) exitWith(main(process.argv.slice(2)));
