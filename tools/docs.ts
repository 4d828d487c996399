import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./offline/stack-config";
import { networkPage } from "./docs-render";
import { renderSvg, toDot } from "./graph-dot";
import { runStackOffline } from "./stack-run";
import { buildPlan } from "./waves";

// `npm run docs`: docs/network.md and docs/graph.svg, generated from Pulumi.home.yaml. A test fails
// when the committed files differ from what the config generates.

export const docsDir = path.join(projectRoot, "docs");

export async function generateDocs(stack = "home"): Promise<{ markdown: string; svg: string }> {
    const { run, spec } = await runStackOffline(stack);
    if (run.error || !spec) throw run.error ?? new Error("the program failed");
    const build = buildPlan(run.resources);
    return { markdown: networkPage(spec, stack, build), svg: await renderSvg(toDot(run.resources, build)) };
}

if (require.main === module) {
    generateDocs().then(
        ({ markdown, svg }) => {
            fs.mkdirSync(docsDir, { recursive: true });
            fs.writeFileSync(path.join(docsDir, "network.md"), markdown);
            fs.writeFileSync(path.join(docsDir, "graph.svg"), svg);
            console.log("Wrote docs/network.md and docs/graph.svg");
            process.exit(0);
        },
        (error) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
        },
    );
}
