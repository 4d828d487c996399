import { strict as assert } from "assert";
import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as cloudflare from "@pulumi/cloudflare";
import * as k8s from "@pulumi/kubernetes";
import * as talos from "@pulumiverse/talos";
import { resourceTypes } from "../../policy/policies/resource-types";
import { resourceArgs } from "../../policy/run";
import { envoyInternal, lbPool, route, vm } from "./fixtures";
import { planned } from "./harness";

// The pack compares type tokens as strings so it loads no provider SDK; these hold the strings to the SDKs.
const tokenOf = (resourceClass: unknown) => (resourceClass as { __pulumiType: string }).__pulumiType;

describe("policy resource types", () => {
    it("match the SDK classes' type tokens", () => {
        assert.equal(resourceTypes.vm, tokenOf(proxmox.VmLegacy));
        assert.equal(resourceTypes.service, tokenOf(k8s.core.v1.Service));
        assert.equal(resourceTypes.dnsRecord, tokenOf(cloudflare.DnsRecord));
        assert.equal(resourceTypes.talosConfigurationApply, tokenOf(talos.machine.ConfigurationApply));
    });

    it("match the tokens k8s.apiextensions.CustomResource registers (kubernetes:<apiVersion>:<kind>)", () => {
        for (const [token, fixture] of [
            [resourceTypes.gateway, envoyInternal],
            [resourceTypes.httpRoute, route],
            [resourceTypes.loadBalancerPool, lbPool],
        ] as const) {
            assert.equal(token, `kubernetes:${fixture.props.apiVersion}:${fixture.props.kind}`);
        }
    });

    it("are what the harness's isType compares against, as the analyzer does", () => {
        const args = resourceArgs(planned(vm), {});
        assert.equal(args.isType(proxmox.VmLegacy), true);
        assert.equal(args.isType(k8s.core.v1.Service), false);
        assert.equal(args.asType(proxmox.VmLegacy), vm.props);
    });
});
