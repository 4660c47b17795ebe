/**
 * Jest setup of the parts that synthesize in-process (fast, terraform, deploy): cdktf captures
 * a full stack trace in every token it creates, and under jest each capture also passes through
 * jest's source-map rewriting of every frame. Profiled on test/synth/router + test/synth/policy:
 * ~13 of 62 CPU seconds went there. The synth entry points skip these captures
 * (lib/synth/token-creation-stacks.ts) without changing the synthesized configuration; the tests
 * do the same, so they exercise the code users run. APP_FLEETS_TOKEN_STACKS=on keeps them.
 */
import { skipTokenCreationStacks } from "../../lib/synth/token-creation-stacks";

skipTokenCreationStacks();
