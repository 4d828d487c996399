import { strict as assert } from "assert";
import { grownValues } from "../../tools/bench";
import { buildOrder } from "../../tools/waves";
import { runStack } from "../harness/home";

describe("npm run bench: the 63-node stack", () => {
    it("is a valid config that builds 63 VMs in as many waves as the home stack", async () => {
        const [home, big] = [await runStack(), await runStack(grownValues(60))];
        assert.equal(big.run.error, undefined, String(big.run.error));
        assert.equal(big.ofType("proxmoxve:index/vmLegacy:VmLegacy").length, 63);
        assert.equal(big.ofType("talos:machine/configurationApply:ConfigurationApply").length, 63);
        assert.equal(buildOrder(big.resources).waves.length, buildOrder(home.resources).waves.length);
        assert.deepEqual(big.leaks("CANARY"), []);
    });
});
