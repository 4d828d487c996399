import { strict as assert } from "assert";
import { lbPoolInsideNodeNetwork as policy } from "../../policy/policies/lb-pool-inside-node-network";
import { lbPool } from "./fixtures";
import { edit, violations } from "./harness";

const withBlocks = (blocks: object[]) => edit(lbPool, (p) => (p.spec.blocks = blocks));

describe("policy lb-pool-inside-node-network", () => {
    it("passes the planned start-stop pool", async () => {
        assert.deepEqual(await violations(policy, lbPool), []);
    });

    it("passes a CIDR block and a lone start (one address) inside the range", async () => {
        assert.deepEqual(await violations(policy, withBlocks([{ cidr: "172.16.1.64/30" }, { start: "172.16.1.69" }])), []);
    });

    it("refuses a pool covering the whole node network, naming everything it covers", async () => {
        assert.deepEqual(await violations(policy, withBlocks([{ cidr: "172.16.1.0/24" }])), [
            "CiliumLoadBalancerIPPool home-pool: block 172.16.1.0/24 covers infrastructure host router (172.16.1.1), infrastructure host pve1 (172.16.1.2), " +
                "infrastructure host pve2 (172.16.1.3), infrastructure host pve3 (172.16.1.4), infrastructure host pve4 (172.16.1.5), " +
                "infrastructure host technitium (172.16.1.10), infrastructure host adguard (172.16.1.11), the Kubernetes API VIP (172.16.1.49), " +
                "node talos-cp-1 (172.16.1.50), node talos-cp-2 (172.16.1.51), node talos-cp-3 (172.16.1.52), node talos-worker-1 (172.16.1.53)",
            "CiliumLoadBalancerIPPool home-pool: block 172.16.1.0/24 reaches outside the load-balancer range 172.16.1.60-172.16.1.69",
        ]);
    });

    it("refuses a range starting on a node's address", async () => {
        const pool = edit(lbPool, (p) => (p.spec.blocks[0].start = "172.16.1.53"));
        assert.deepEqual(await violations(policy, pool), [
            "CiliumLoadBalancerIPPool home-pool: block 172.16.1.53-172.16.1.69 covers node talos-worker-1 (172.16.1.53)",
            "CiliumLoadBalancerIPPool home-pool: block 172.16.1.53-172.16.1.69 reaches outside the load-balancer range 172.16.1.60-172.16.1.69",
        ]);
    });

    it("refuses a range past the planned one, though clear of every host", async () => {
        const pool = edit(lbPool, (p) => (p.spec.blocks[0].stop = "172.16.1.70"));
        assert.deepEqual(await violations(policy, pool), [
            "CiliumLoadBalancerIPPool home-pool: block 172.16.1.60-172.16.1.70 reaches outside the load-balancer range 172.16.1.60-172.16.1.69",
        ]);
    });

    it("refuses a block outside the node network", async () => {
        const pool = edit(lbPool, (p) => (p.spec.blocks[0] = { cidr: "172.16.2.0/28" }));
        assert.deepEqual(await violations(policy, pool), [
            "CiliumLoadBalancerIPPool home-pool: block 172.16.2.0/28 is outside the node network 172.16.1.0/24",
        ]);
    });

    it("refuses a range it cannot read (stop before start)", async () => {
        const pool = edit(lbPool, (p) => (p.spec.blocks[0].stop = "172.16.1.59"));
        assert.deepEqual(await violations(policy, pool), [
            'CiliumLoadBalancerIPPool home-pool: block 0 ({"start":"172.16.1.60","stop":"172.16.1.59"}) is neither a CIDR nor a start-stop range of IPv4 addresses',
        ]);
    });
});
