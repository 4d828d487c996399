import { strict as assert } from "assert";
import { runStack, homeValues } from "../harness/home";
import { badConfigs } from "./bad-configs";
import { ConfigRunError } from "../../components/program-config";

describe("config validation", () => {
    it("loads the home stack with no problem", async () => {
        const graph = await runStack();
        assert.equal(graph.run.error, undefined);
        assert.ok(graph.resources.length > 0);
    });

    for (const bad of badConfigs) {
        it(`refuses ${bad.rule}, naming the key, and registers nothing`, async () => {
            const values = homeValues();
            bad.edit(values);
            const graph = await runStack(values, bad.unset);
            assert.ok(graph.run.error instanceof ConfigRunError, `expected the config's RunError, got ${graph.run.error}`);
            const lines = graph.run.error.message
                .split("\n")
                .slice(1)
                .map((l) => l.replace(/^ {2}- /, ""));
            assert.ok(lines.includes(bad.message), `missing:\n${bad.message}\ngot:\n${lines.join("\n")}`);
            assert.deepEqual(
                graph.resources.map((r) => r.urn),
                [],
            );
        });
    }

    it("reports every problem at once", async () => {
        const values = homeValues();
        for (const bad of badConfigs.slice(0, 5)) bad.edit(values);
        const graph = await runStack(values);
        const error = graph.run.error as ConfigRunError;
        assert.ok(error.problems.length >= 5, error.message);
        assert.match(error.message, /^homelab config has \d+ problems; nothing was created:/);
    });

    it("has a distinct message for every rule", () => {
        assert.equal(new Set(badConfigs.map((b) => b.message)).size, badConfigs.length);
    });
});
