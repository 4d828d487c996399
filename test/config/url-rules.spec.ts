import { strict as assert } from "assert";
import { plainHttpWarnings, urlProblems } from "../../components/config/url-rules";

const proxmox = { endpoint: "https://172.16.1.2:8006" };
const adguard = { url: "http://172.16.1.11" };
const technitium = { url: "http://172.16.1.10:5380" };

describe("server URL rules", () => {
    it("accept the home stack's base URLs", () => {
        assert.deepEqual(urlProblems({ proxmox, dnsForwarders: { adguard, technitium } }), []);
    });

    it("refuse a user name alone, a password, a credential parameter by any name, and say a plain query or fragment breaks paths", () => {
        const messages = (url: string) => urlProblems({ dnsForwarders: { technitium: { url } } }).map((p) => p.message);
        assert.deepEqual(messages("http://admin@172.16.1.10:5380").length, 1);
        assert.match(messages("http://:pw@172.16.1.10:5380")[0], /^carries credentials/);
        assert.match(messages("http://172.16.1.10:5380/?api_key=x&x=1")[0], /^carries a credential in its query \(\?api_key=\)/);
        assert.match(messages("http://172.16.1.10:5380/?Password=x")[0], /\(\?Password=\)/);
        assert.deepEqual(messages("http://172.16.1.10:5380/?view=1"), ["has a query string, which the API paths would be appended after"]);
        assert.deepEqual(messages("http://172.16.1.10:5380/#x"), ["has a fragment (#...)"]);
        assert.deepEqual(messages("not a url"), [], "the shape check reports it");
    });

    it("warn for every server that gets a credential over plain http, and not over https", () => {
        assert.deepEqual(plainHttpWarnings({ proxmox, dnsForwarders: { adguard, technitium } }), [
            "homelab:dnsForwarders.adguard.url is plain http (http://172.16.1.11): the AdGuard Home password (homelab:adguardPassword) crosses the network unencrypted on every run, pulumi preview included (it reads the live server). Use https:// with a pinned fingerprint or CA if the server offers it.",
            "homelab:dnsForwarders.technitium.url is plain http (http://172.16.1.10:5380): the Technitium API token (homelab:technitiumToken) crosses the network unencrypted on every run, pulumi preview included (it reads the live server). Use https:// with a pinned fingerprint or CA if the server offers it.",
        ]);
        assert.deepEqual(plainHttpWarnings({ proxmox, dnsForwarders: { adguard: { url: "https://172.16.1.11" } } }), []);
    });
});
