import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { NetworkPolicyConfig, pickConfig, configKeysOf, policyConfigFromSpec } from "../../policy/config";
import { NotApplicable, PlannedResource, resourceArgs, stackArgs } from "../../policy/run";
import { homeSpec } from "../harness/home";

// Runs one policy on hand-made resources, no CLI and no analyzer: args as the analyzer builds them
// (policy/run.ts), getConfig giving the home fixture's plan (as `npm run plan` writes it for that stack) merged with
// the test's overrides, and notApplicable caught as a verdict of its own.

/** The policy config `npm run plan` writes for the home fixture (test/fixtures/home.yaml). */
export const homePolicyConfig: NetworkPolicyConfig = policyConfigFromSpec(homeSpec());

export interface Fixture {
    type: string;
    name: string;
    props: Record<string, unknown>;
}

export type Overrides = Partial<NetworkPolicyConfig>;

export type Outcome = { violations: string[] } | { notApplicable: string };

export const urnOf = (fixture: Pick<Fixture, "type" | "name">) => `urn:pulumi:home::homelab::${fixture.type}::${fixture.name}`;

export function planned(fixture: Fixture): PlannedResource {
    return { ...fixture, urn: urnOf(fixture) };
}

/** What the engine hands a policy given the home fixture's config file: the keys its schema declares, with the overrides. */
export function configFor(policy: ResourceValidationPolicy | StackValidationPolicy, overrides: Overrides = {}): Record<string, unknown> {
    return pickConfig({ ...homePolicyConfig, ...overrides }, configKeysOf(policy.configSchema));
}

async function outcome(run: (report: (message: string) => void) => void | Promise<void>): Promise<Outcome> {
    const violations: string[] = [];
    try {
        await run((message) => violations.push(message));
    } catch (error) {
        if (error instanceof NotApplicable) return { notApplicable: error.reason ?? "" };
        throw error;
    }
    return { violations };
}

export function checkResource(policy: ResourceValidationPolicy, fixture: Fixture, overrides: Overrides = {}): Promise<Outcome> {
    const validations = [policy.validateResource ?? []].flat();
    if (validations.length !== 1) throw new Error(`${policy.name}: expected one validateResource function`);
    return outcome((report) => validations[0](resourceArgs(planned(fixture), configFor(policy, overrides)), report));
}

/** The messages a resource policy reports; fails the test if the policy declined the resource. */
export async function violations(policy: ResourceValidationPolicy, fixture: Fixture, overrides: Overrides = {}): Promise<string[]> {
    const result = await checkResource(policy, fixture, overrides);
    if ("notApplicable" in result) throw new Error(`${policy.name} declined ${fixture.type}: ${result.notApplicable}`);
    return result.violations;
}

/** A stack policy's reports, each with the URN it named. */
export async function stackViolations(
    policy: StackValidationPolicy,
    fixtures: Fixture[],
    overrides: Overrides = {},
): Promise<{ message: string; urn?: string }[]> {
    const reports: { message: string; urn?: string }[] = [];
    await policy.validateStack(stackArgs(fixtures.map(planned), configFor(policy, overrides)), (message, urn) =>
        reports.push({ message, urn }),
    );
    return reports;
}

/** A copy of a fixture with one change: the "one field per failing test" pattern. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function edit(fixture: Fixture, change: (props: Record<string, any>) => void): Fixture {
    const copy = structuredClone(fixture);
    change(copy.props);
    return copy;
}
