import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { docsDir, generateDocs } from "../../tools/docs";

describe("npm run docs", () => {
    let generated: { markdown: string; svg: string };
    before(async () => {
        generated = await generateDocs();
    });

    it("matches the committed docs/network.md (run `npm run docs` after a config change)", () => {
        assert.equal(fs.readFileSync(path.join(docsDir, "network.md"), "utf8"), generated.markdown);
    });

    it("matches the committed docs/graph.svg", () => {
        assert.equal(fs.readFileSync(path.join(docsDir, "graph.svg"), "utf8"), generated.svg);
    });

    it("holds every address of the spec's tables, the example route and the wildcard certificate", () => {
        for (const ip of ["172.16.1.1", "172.16.1.2", "172.16.1.5", "172.16.1.10", "172.16.1.11", "172.16.1.49", "172.16.1.50", "172.16.1.53", "172.16.1.60", "172.16.1.61", "172.16.1.62"]) {
            assert.match(generated.markdown, new RegExp(`\\| ${ip.replace(/\./g, "\\.")} +\\|`), ip);
        }
        assert.match(generated.markdown, /hostnames:\n {4}- myapp\.ragas\.cc/);
        assert.match(generated.markdown, /secretName: wildcard-ragas-cc-tls/);
        assert.match(generated.markdown, /upstream `\[\/ragas\.cc\/\]172\.16\.1\.60`/);
        assert.match(generated.markdown, /!\[The build graph, critical path in red\]\(graph\.svg\)/);
    });
});
