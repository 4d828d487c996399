import { strict as assert } from "assert";
import Ajv from "ajv";
import { PolicyConfigSchema } from "@pulumi/policy";
import { configKeysOf, NetworkPolicyConfig } from "../../policy/config";
import { policies, policyConfigFile } from "../../policy/policies";
import { homeSpec } from "../harness/home";
import { configFor, homePolicyConfig } from "./harness";

// The engine validates each policy's config with gojsonschema against {type: object, properties, required}
// (pulumi/pulumi pkg/resource/analyzer/config.go, convertSchema); Ajv in strict mode stands in for it,
// with the one format we use.
function engineValidator(schema: PolicyConfigSchema) {
    const ajv = new Ajv({
        strict: true,
        allErrors: true,
        formats: { ipv4: /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/ },
    });
    const validate = ajv.compile({ type: "object", properties: schema.properties, required: schema.required });
    return (config: unknown) => (validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

const configurable = policies.filter((p) => p.configSchema);

describe("policy config", () => {
    it("is made from the stack: the home fixture's plan, exactly", () => {
        assert.deepEqual(homePolicyConfig, {
            domain: "ragas.cc",
            nodeCidr: "172.16.1.0/24",
            podCidr: "10.42.0.0/16",
            serviceCidr: "10.43.0.0/16",
            loadBalancerRange: { start: "172.16.1.60", stop: "172.16.1.69" },
            vip: "172.16.1.49",
            gateways: { dns: "172.16.1.60", internal: "172.16.1.61", external: "172.16.1.62" },
            nodes: [
                { name: "talos-cp-1", ip: "172.16.1.50" },
                { name: "talos-cp-2", ip: "172.16.1.51" },
                { name: "talos-cp-3", ip: "172.16.1.52" },
                { name: "talos-worker-1", ip: "172.16.1.53" },
            ],
            infrastructure: [
                { name: "router", ip: "172.16.1.1" },
                { name: "pve1", ip: "172.16.1.2" },
                { name: "pve2", ip: "172.16.1.3" },
                { name: "pve3", ip: "172.16.1.4" },
                { name: "pve4", ip: "172.16.1.5" },
                { name: "technitium", ip: "172.16.1.10" },
                { name: "adguard", ip: "172.16.1.11" },
            ],
            gatewayNames: { namespace: "network", internal: "envoy-internal", external: "envoy-external" },
        });
    });

    it("has no defaults: with no config file the engine refuses the pack, naming every key, instead of judging by another network", () => {
        for (const policy of configurable) {
            assert.deepEqual(
                engineValidator(policy.configSchema!)({}),
                configKeysOf(policy.configSchema).map((key) => ` must have required property '${key}'`),
                policy.name,
            );
            for (const property of Object.values(policy.configSchema!.properties)) assert.equal("default" in property, false, policy.name);
        }
    });

    it("gives each policy the keys it reads", () => {
        assert.deepEqual(Object.fromEntries(configurable.map((p) => [p.name, configKeysOf(p.configSchema)])), {
            "vm-address-in-node-network": ["nodeCidr", "loadBalancerRange", "vip", "infrastructure"],
            "lb-address-pinned-in-pool": ["loadBalancerRange", "gateways", "gatewayNames"],
            "lb-pool-inside-node-network": ["nodeCidr", "loadBalancerRange", "vip", "nodes", "infrastructure"],
            "httproute-in-domain": ["domain", "gatewayNames"],
            "talos-network-kept": ["podCidr", "serviceCidr"],
        });
    });

    it("writes the --policy-pack-config file: policy name -> its keys, from the spec", () => {
        const file = policyConfigFile(homeSpec((v) => (v["homelab:network"].podCidr = "10.50.0.0/16")));
        assert.deepEqual(
            Object.keys(file),
            configurable.map((p) => p.name),
        );
        assert.deepEqual(file["talos-network-kept"], { podCidr: "10.50.0.0/16", serviceCidr: "10.43.0.0/16" });
        assert.deepEqual(file["httproute-in-domain"], {
            domain: "ragas.cc",
            gatewayNames: { namespace: "network", internal: "envoy-internal", external: "envoy-external" },
        });
    });

    it("has schemas the engine accepts, which the home config file satisfies", () => {
        const file = policyConfigFile(homeSpec()) as Record<string, object>;
        for (const policy of configurable) {
            const validate = engineValidator(policy.configSchema!);
            assert.deepEqual(validate(configFor(policy)), [], policy.name);
            assert.deepEqual(validate(file[policy.name]), [], policy.name);
        }
    });

    it("has schemas that refuse a malformed config", () => {
        const vmPolicy = configurable.find((p) => p.name === "vm-address-in-node-network")!;
        const bad: Partial<Record<keyof NetworkPolicyConfig, unknown>> = {
            ...homePolicyConfig,
            nodeCidr: "172.16.1.0",
            vip: "172.16.1.300",
            loadBalancerRange: { start: "172.16.1.60" },
            infrastructure: [{ name: "router", ip: "172.16.1.1", extra: true }],
        };
        assert.deepEqual(engineValidator(vmPolicy.configSchema!)(bad), [
            '/nodeCidr must match pattern "^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$"',
            "/loadBalancerRange must have required property 'stop'",
            '/vip must match format "ipv4"',
            "/infrastructure/0 must NOT have additional properties",
        ]);
    });

    it("names policies as the analyzer requires: unique kebab-case rules, none called all, no enforcementLevel key", () => {
        const names = policies.map((p) => p.name);
        assert.equal(new Set(names).size, names.length);
        for (const policy of policies) {
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
            assert.notEqual(policy.name, "all");
            assert.equal(policy.enforcementLevel, "mandatory");
            assert.ok(!("enforcementLevel" in (policy.configSchema?.properties ?? {})), policy.name);
        }
    });
});
