/** Coded problems of triggers. Each message says what the sender or operator should change. */
import { defineError } from "../errors.js";

export const webhookNotEnabled = defineError(
  "WEFT_WEBHOOK_NOT_ENABLED",
  'workflow "{workflow}" has no webhook trigger; add `on: { webhook: { secret: NAME } }` to accept deliveries',
);
export const webhookSecretMissing = defineError(
  "WEFT_WEBHOOK_SECRET_MISSING",
  'secret {name} is not set; set WEFT_SECRET_{name} in the environment of `weft serve` (workflow "{workflow}")',
);
export const webhookSignature = defineError(
  "WEFT_WEBHOOK_SIGNATURE",
  "{why}; sign the exact request body with HMAC-SHA256 and send `X-Hub-Signature-256: sha256=<hex digest>`",
);
export const webhookBody = defineError(
  "WEFT_WEBHOOK_BODY",
  "the request body is not JSON ({reason}); send `Content-Type: application/json` with a JSON body",
);
export const webhookDeliveryId = defineError(
  "WEFT_WEBHOOK_DELIVERY_ID",
  "the delivery id in {header} is {length} characters long; at most {limit} are accepted",
);
