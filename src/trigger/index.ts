export { CronScheduler, type CronSchedulerOptions } from "./cron.js";
export { fireSchedule } from "./fire.js";
export { SIGNATURE_HEADER, type SignatureCheck, signBody, verifySignature } from "./signature.js";
export { type CatchupPolicy, dueSlots, scheduleOf } from "./slots.js";
export type { RunStarter, StartRunRequest } from "./types.js";
export {
  DELIVERY_HEADERS,
  handleWebhook,
  MAX_DELIVERY_ID,
  SAFE_HEADERS,
  type WebhookRequest,
  type WebhookResponse,
} from "./webhook.js";
