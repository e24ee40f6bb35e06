// The parts of the Hub's answers AI Runway reads, in Zod. Only those fields are declared (the
// Hub sends many more, and adds new ones); each is as loose as the Hub is in practice:
// `gated` is false, "auto" or "manual", `config` may be missing or null, a whoami may be an
// app token without a full name.
import { z } from 'zod';

/** An item of GET /api/models?expand[]=…, or the head of GET /api/models/:id. */
export const HubModelSchema = z.object({
  id: z.string().min(1),
  author: z.string().nullish(),
  downloads: z.number().nonnegative().nullish(),
  likes: z.number().nullish(),
  pipeline_tag: z.string().nullish(),
  library_name: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  gated: z.union([z.boolean(), z.string()]).nullish(),
  private: z.boolean().nullish(),
  config: z
    .object({
      architectures: z.array(z.string()).nullish(),
      model_type: z.string().nullish(),
    })
    .nullish(),
  safetensors: z
    .object({
      parameters: z.record(z.string(), z.number()).nullish(),
      total: z.number().nullish(),
    })
    .nullish(),
});
export type HubModel = z.output<typeof HubModelSchema>;

/** A file of GET /api/models/:id?blobs=true (`size` is there only with blobs=true). */
export const HubSiblingSchema = z.object({
  rfilename: z.string(),
  size: z.number().int().nonnegative().nullish(),
  lfs: z.object({ size: z.number().int().nonnegative() }).nullish(),
});

export const HubModelInfoSchema = HubModelSchema.extend({
  siblings: z.array(HubSiblingSchema).nullish(),
});
export type HubModelInfo = z.output<typeof HubModelInfoSchema>;

/** POST /oauth/token (RFC 6749 §5.1). */
export const HubTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().nonnegative().nullish(),
  scope: z.string().nullish(),
});

/** A refusal: `{ error }` from the API, `{ error, error_description }` from OAuth (RFC 6749 §5.2). */
export const HubErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().nullish(),
});

/** GET /api/whoami-v2: a user, an organization token or an app. */
export const HubWhoamiSchema = z.object({
  id: z.string(),
  type: z.string().nullish(),
  name: z.string(),
  fullname: z.string().nullish(),
  email: z.string().nullish(),
  avatarUrl: z.string().nullish(),
});
export type HubWhoami = z.output<typeof HubWhoamiSchema>;
