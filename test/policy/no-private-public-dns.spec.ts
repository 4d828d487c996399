import { strict as assert } from "assert";
import { noPrivatePublicDns as policy } from "../../policy/policies/no-private-public-dns";
import { publicRecord, tunnelRecord } from "./fixtures";
import { checkResource, edit, violations } from "./harness";

const pointingAt = (content: string, type = "A") => edit(publicRecord, (p) => Object.assign(p, { type, content }));

describe("policy no-private-public-dns", () => {
    it("passes a public A record and the tunnel CNAME", async () => {
        assert.deepEqual(await violations(policy, publicRecord), []);
        assert.deepEqual(await violations(policy, tunnelRecord), []);
    });

    it("refuses an A record to a gateway's private address", async () => {
        assert.deepEqual(await violations(policy, pointingAt("172.16.1.61")), [
            "DNS record www.ragas.cc (A): 172.16.1.61 is a private address (RFC 1918)",
        ]);
    });

    it("refuses each RFC 1918 block at its edges, and passes the addresses just outside", async () => {
        for (const address of ["10.0.0.0", "10.255.255.255", "172.16.0.0", "172.31.255.255", "192.168.0.0", "192.168.255.255"]) {
            assert.deepEqual(await violations(policy, pointingAt(address)), [
                `DNS record www.ragas.cc (A): ${address} is a private address (RFC 1918)`,
            ]);
        }
        for (const address of ["9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0"]) {
            assert.deepEqual(await violations(policy, pointingAt(address)), []);
        }
    });

    it("refuses loopback, link-local, carrier-grade NAT and unspecified addresses", async () => {
        assert.deepEqual(await violations(policy, pointingAt("127.0.0.1")), [
            "DNS record www.ragas.cc (A): 127.0.0.1 is a loopback address (127.0.0.0/8)",
        ]);
        assert.deepEqual(await violations(policy, pointingAt("169.254.1.1")), [
            "DNS record www.ragas.cc (A): 169.254.1.1 is a link-local address (169.254.0.0/16)",
        ]);
        assert.deepEqual(await violations(policy, pointingAt("100.64.0.1")), [
            "DNS record www.ragas.cc (A): 100.64.0.1 is a shared carrier-grade NAT address (RFC 6598)",
        ]);
        assert.deepEqual(await violations(policy, pointingAt("0.0.0.0")), [
            "DNS record www.ragas.cc (A): 0.0.0.0 is an unspecified address (0.0.0.0/8)",
        ]);
    });

    it("refuses private IPv6 targets, including an IPv4-mapped private address", async () => {
        assert.deepEqual(await violations(policy, pointingAt("fd00::61", "AAAA")), [
            "DNS record www.ragas.cc (AAAA): fd00::61 is a unique local address (fc00::/7)",
        ]);
        assert.deepEqual(await violations(policy, pointingAt("fe80::1", "AAAA")), [
            "DNS record www.ragas.cc (AAAA): fe80::1 is a link-local address (fe80::/10)",
        ]);
        assert.deepEqual(await violations(policy, pointingAt("::1", "AAAA")), [
            "DNS record www.ragas.cc (AAAA): ::1 is the loopback address (::1)",
        ]);
        assert.deepEqual(await violations(policy, pointingAt("::ffff:172.16.1.61", "AAAA")), [
            "DNS record www.ragas.cc (AAAA): ::ffff:172.16.1.61 is a private address (RFC 1918)",
        ]);
        assert.deepEqual(await violations(policy, pointingAt("2606:4700::1111", "AAAA")), []);
    });

    it("reads addresses only in A and AAAA records", async () => {
        assert.deepEqual(await violations(policy, pointingAt("172.16.1.61", "TXT")), []);
    });

    it("declines resources of other types", async () => {
        assert.deepEqual(await checkResource(policy, { type: "proxmoxve:index/vmLegacy:VmLegacy", name: "vm", props: {} }), {
            notApplicable: "Policy only applies to resources of type 'cloudflare:index/dnsRecord:DnsRecord'",
        });
    });
});
