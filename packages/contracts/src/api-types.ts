/**
 * Short names for the schemas of the three OpenAPI documents, generated into `./generated/`
 * by `pnpm generate`. Event messages are not here: their types come from the zod schemas in
 * `./events` (the documents hold the same shapes, kept equal by a contract test).
 */
import type { components as PublicApiComponents } from './generated/public-api';
import type { components as RunnerApiComponents } from './generated/runner-api';
import type { components as ScriptApiComponents } from './generated/script-api';

export type {
  paths as PublicApiPaths,
  components as PublicApiComponents,
  operations as PublicApiOperations,
} from './generated/public-api';
export type {
  paths as RunnerApiPaths,
  components as RunnerApiComponents,
  operations as RunnerApiOperations,
} from './generated/runner-api';
export type {
  paths as ScriptApiPaths,
  components as ScriptApiComponents,
  operations as ScriptApiOperations,
} from './generated/script-api';

type PublicSchemas = PublicApiComponents['schemas'];
type RunnerSchemas = RunnerApiComponents['schemas'];
type ScriptSchemas = ScriptApiComponents['schemas'];

// Public API
export type Health = PublicSchemas['Health'];
export type Label = PublicSchemas['Label'];
export type ParamValue = PublicSchemas['ParamValue'];
export type Org = PublicSchemas['Org'];
export type OrgCreate = PublicSchemas['OrgCreate'];
export type OrgList = PublicSchemas['OrgList'];
export type Repo = PublicSchemas['Repo'];
export type RepoCreate = PublicSchemas['RepoCreate'];
export type RepoUpdate = PublicSchemas['RepoUpdate'];
export type RepoList = PublicSchemas['RepoList'];
export type RepoTriggers = PublicSchemas['RepoTriggers'];
export type TriggerEventKind = PublicSchemas['TriggerEventKind'];
export type RepoConcurrency = PublicSchemas['RepoConcurrency'];
export type RetentionPolicy = PublicSchemas['RetentionPolicy'];
export type WebhookCreated = PublicSchemas['WebhookCreated'];
export type WebhookAccepted = PublicSchemas['WebhookAccepted'];
export type WebhookIgnored = PublicSchemas['WebhookIgnored'];
export type ParamSet = PublicSchemas['ParamSet'];
export type ParamSetCreate = PublicSchemas['ParamSetCreate'];
export type ParamSetUpdate = PublicSchemas['ParamSetUpdate'];
export type ParamSetList = PublicSchemas['ParamSetList'];
export type BuildSource = PublicSchemas['BuildSource'];
export type GitAuthor = PublicSchemas['GitAuthor'];
export type GitInfo = PublicSchemas['GitInfo'];
export type PullRequestInfo = PublicSchemas['PullRequestInfo'];
export type Job = PublicSchemas['Job'];
export type JobApproval = PublicSchemas['JobApproval'];
export type JobOutputs = PublicSchemas['JobOutputs'];
export type ApprovalRequest = PublicSchemas['ApprovalRequest'];
export type Build = PublicSchemas['Build'];
export type BuildList = PublicSchemas['BuildList'];
export type BuildTrigger = PublicSchemas['BuildTrigger'];
export type LogTimes = PublicSchemas['LogTimes'];
export type Schedule = PublicSchemas['Schedule'];
export type ScheduleCreate = PublicSchemas['ScheduleCreate'];
export type ScheduleUpdate = PublicSchemas['ScheduleUpdate'];
export type ScheduleRun = PublicSchemas['ScheduleRun'];
export type ScheduleList = PublicSchemas['ScheduleList'];
export type ScheduleRunList = PublicSchemas['ScheduleRunList'];
export type Artifact = PublicSchemas['Artifact'];
export type ArtifactList = PublicSchemas['ArtifactList'];
export type TokenRole = PublicSchemas['TokenRole'];
export type Token = PublicSchemas['Token'];
export type SessionCreate = PublicSchemas['SessionCreate'];
export type Session = PublicSchemas['Session'];
export type TokenCreate = PublicSchemas['TokenCreate'];
export type TokenCreated = PublicSchemas['TokenCreated'];
export type TokenList = PublicSchemas['TokenList'];
export type AuditEntry = PublicSchemas['AuditEntry'];
export type AuditList = PublicSchemas['AuditList'];
export type Delivery = PublicSchemas['Delivery'];
export type DeliveryList = PublicSchemas['DeliveryList'];
export type Runner = PublicSchemas['Runner'];
export type RunnerCreate = PublicSchemas['RunnerCreate'];
export type RunnerCreated = PublicSchemas['RunnerCreated'];
export type RunnerList = PublicSchemas['RunnerList'];
export type RegistrationTokenCreate = PublicSchemas['RegistrationTokenCreate'];
export type RegistrationTokenCreated = PublicSchemas['RegistrationTokenCreated'];
export type RegistrationTokenInfo = PublicSchemas['RegistrationToken'];
export type RegistrationTokenList = PublicSchemas['RegistrationTokenList'];
export type KeyStatus = PublicSchemas['KeyStatus'];
export type SigningKeyInfo = PublicSchemas['SigningKey'];
export type SigningKeyRotate = PublicSchemas['SigningKeyRotate'];
export type SigningKeyRotation = PublicSchemas['SigningKeyRotation'];
export type MasterKeyRotation = PublicSchemas['MasterKeyRotation'];

// Runner API
export type ClaimRequest = RunnerSchemas['ClaimRequest'];
export type Claim = RunnerSchemas['Claim'];
export type ClaimedRepo = RunnerSchemas['ClaimedRepo'];
export type Lease = RunnerSchemas['Lease'];
export type HeartbeatAnswer = RunnerSchemas['HeartbeatAnswer'];
export type ApprovalDecision = RunnerSchemas['ApprovalDecision'];
export type LogChunkAccepted = RunnerSchemas['LogChunkAccepted'];
export type ParamValueList = RunnerSchemas['ParamValueList'];
export type BuildResult = RunnerSchemas['BuildResult'];
export type RunnerRegistration = RunnerSchemas['RunnerRegistration'];
export type RegisteredRunner = RunnerSchemas['RegisteredRunner'];

// Script API
export type BuildContext = ScriptSchemas['BuildContext'];
export type BuildInputs = ScriptSchemas['BuildInputs'];
export type ContainerJob = ScriptSchemas['ContainerJob'];
export type ArtifactRef = ScriptSchemas['ArtifactRef'];
export type CacheRef = ScriptSchemas['CacheRef'];
export type JobRunResult = ScriptSchemas['JobRunResult'];
export type ApprovalAnswer = ScriptSchemas['ApprovalAnswer'];
export type MaskCreate = ScriptSchemas['MaskCreate'];
export type LogLines = ScriptSchemas['LogLines'];
export type StoredArtifact = ScriptSchemas['StoredArtifact'];
export type StoredCache = ScriptSchemas['StoredCache'];
