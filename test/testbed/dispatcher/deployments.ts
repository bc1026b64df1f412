/**
 * POST /api/v1/deployments, as infn-datacloud/im-connector has it: a JSON body
 * naming IM's URL, the two tokens, the TOSCA and the provider; the dispatcher
 * writes IM's Authorization header from it (its one job) and posts the TOSCA
 * to IM. IM's success is passed through; IM's failure becomes
 * `{"detail": "<HTTP reason phrase>"}` with IM's status, IM's message dropped.
 */
import { z } from 'zod';

const httpUrl = z.string().refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, "Input should be a valid URL with scheme 'http' or 'https'");

export const deploymentCreateSchema = z.object({
  im_url: httpUrl,
  im_access_token: z.string(),
  iaas_access_token: z.string(),
  tosca_template: z.string(),
  provider_name: z.string(),
  provider_endpoint: httpUrl,
  provider_type: z.string(),
});

export type DeploymentCreate = z.infer<typeof deploymentCreateSchema>;

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** pydantic's AnyHttpUrl, printed: normalised as a WHATWG URL (an empty path becomes "/"). */
function asPydanticUrl(value: string): string {
  return new URL(value).href;
}

/** The header exactly as im-connector writes it: no id on IM's line, the provider type in single quotes. */
export function dispatcherAuthorization(body: DeploymentCreate): string {
  return [
    `type = InfrastructureManager; token = ${body.im_access_token}`,
    `id = ${body.provider_name}; type = '${body.provider_type}'; host = ${asPydanticUrl(body.provider_endpoint)}; token = ${body.iaas_access_token}`,
  ].join('\\n');
}

const DROPPED = new Set(['content-encoding', 'transfer-encoding', 'content-length', 'connection']);

export async function createDeployment(raw: Buffer): Promise<Reply> {
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return json(422, {
      detail: [
        {
          type: 'json_invalid',
          loc: ['body', 0],
          msg: 'JSON decode error',
          input: {},
          ctx: { error: error instanceof Error ? error.message : String(error) },
        },
      ],
    });
  }
  const parsed = deploymentCreateSchema.safeParse(data);
  if (!parsed.success) {
    return json(422, {
      detail: parsed.error.issues.map((issue) => {
        const missing = issue.code === 'invalid_type' && typeof data === 'object' && data !== null && !(String(issue.path[0]) in data);
        return {
          type: missing ? 'missing' : issue.code,
          loc: ['body', ...issue.path.map(String)],
          msg: missing ? 'Field required' : issue.message,
        };
      }),
    });
  }
  const body = parsed.data;
  let answer: Response;
  try {
    // python-requests sends Accept: */*, so IM answers in its default type (text/uri-list), not JSON.
    answer = await fetch(asPydanticUrl(body.im_url), {
      method: 'POST',
      headers: { 'content-type': 'text/yaml', authorization: dispatcherAuthorization(body), accept: '*/*' },
      body: body.tosca_template,
    });
  } catch {
    // The real one raises HTTPException(503, detail=<exception>), which FastAPI cannot serialise: a bare 500.
    return { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error' };
  }
  const content = Buffer.from(await answer.arrayBuffer());
  if (!answer.ok) return json(answer.status, { detail: answer.statusText });
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!DROPPED.has(name)) headers[name] = value;
  });
  return { status: answer.status, headers, body: content };
}

export function json(status: number, value: unknown): Reply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
