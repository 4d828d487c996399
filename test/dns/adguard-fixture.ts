import * as assert from "assert";
import type { AdguardApi } from "../../components/dns/adguard-api";
import { referenceFile } from "../harness/reference";
import { AdguardFake, startAdguardFake } from "./fake-servers";

/** The fake AdGuard Home of a suite and the API pointed at it, reset to `others` before each test. */
export interface AdguardFixture {
    fake: AdguardFake;
    api: AdguardApi;
}

/**
 * Registers the suite's hooks: one fake for the suite, its upstream list, hook and logs reset before each
 * test, and no request outside openapi.yaml after it. The fields are set once `before` has run.
 */
export function useAdguardFake(password: string, others: readonly string[]): AdguardFixture {
    const fixture = {} as AdguardFixture;
    before(async function () {
        fixture.fake = await startAdguardFake(referenceFile("adguard-home/v0.107.79/openapi.yaml", this), "admin", password);
        fixture.api = { url: fixture.fake.url, username: "admin", password, timeoutMs: 2000, settleMs: 0 };
    });
    after(async () => fixture.fake?.close());
    beforeEach(() => {
        const { fake } = fixture;
        fake.upstreams = [...others];
        fake.upstreamFile = "";
        fake.failure = undefined;
        fake.hook = undefined;
        fake.log.length = 0;
        fake.violations.length = 0;
    });
    afterEach(() => assert.deepStrictEqual(fixture.fake.violations, []));
    return fixture;
}
