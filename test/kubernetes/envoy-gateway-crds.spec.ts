import { strict as assert } from "assert";
import * as path from "path";
import { evaluate } from "../../tools/offline/engine";
import { Graph } from "../../tools/offline/graph";

// The Gateway API and Envoy Gateway CRDs outlive their chart: deleting a CRD deletes every object of it, so the
// chart that owns them is retainOnDelete, which the engine hands to each object the chart registers under it
// (pulumi/pulumi v3.248.0 pkg/resource/deploy/source_eval.go, inheritFromParent). Nothing else is retained.

describe("the Gateway API and Envoy Gateway CRDs are kept on delete", () => {
    let graph: Graph;
    before(async () => {
        graph = new Graph(await evaluate({}, [], { program: path.resolve(__dirname, "fixtures/gateway-tls-program.ts") }));
        assert.equal(graph.run.error, undefined);
    });

    it("retains the CRDs' chart, and only it", () => {
        assert.equal(graph.get("kubernetes:helm.sh/v4:Chart", "home-envoy-gateway-crds").retainOnDelete, true);
        assert.deepEqual(
            graph.resources.filter((r) => r.retainOnDelete).map((r) => r.name),
            ["home-envoy-gateway-crds"],
        );
    });
});
