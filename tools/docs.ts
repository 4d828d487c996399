import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./offline/stack-config";
import { networkPage } from "./docs-render";
import { renderSvg, toDot } from "./graph-dot";
import { runStackOffline } from "./stack-run";
import { buildPlan } from "./waves";
import { day2Rows, day2Table, withDay2Table } from "./offline/day2";

// `npm run docs`: docs/network.md and docs/graph.svg, generated from Pulumi.home.yaml, and the README's
// day-2 table (tools/offline/day2.ts). A test fails when the committed files differ from what they generate.

export const docsDir = path.join(projectRoot, "docs");

export async function generateDocs(stack = "home"): Promise<{ markdown: string; svg: string }> {
    const { run, spec } = await runStackOffline(stack);
    if (run.error || !spec) throw run.error ?? new Error("the program failed");
    const build = buildPlan(run.resources);
    return { markdown: networkPage(spec, stack, build), svg: await renderSvg(toDot(run.resources, build)) };
}

if (require.main === module) {
    // One evaluation at a time: the offline engine runs the program in this process.
    generateDocs().then(async (docs) => ({ ...docs, rows: await day2Rows() })).then(
        ({ markdown, svg, rows }) => {
            fs.mkdirSync(docsDir, { recursive: true });
            fs.writeFileSync(path.join(docsDir, "network.md"), markdown);
            fs.writeFileSync(path.join(docsDir, "graph.svg"), svg);
            const readme = path.join(projectRoot, "README.md");
            fs.writeFileSync(readme, withDay2Table(fs.readFileSync(readme, "utf8"), day2Table(rows)));
            console.log("Wrote docs/network.md, docs/graph.svg and the README's day-2 table");
            process.exit(0);
        },
        (error) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
        },
    );
}
