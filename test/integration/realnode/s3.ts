/**
 * A minimal S3 client for the MinIO test: one request signed with AWS
 * Signature Version 4 (unsigned payload, which S3 and MinIO accept), so the
 * test speaks S3 as boto3 or mc would without adding an SDK.
 */
import { createHash, createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface S3Credentials {
  accessKey: string;
  secretKey: string;
  region?: string;
}

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');

/** One S3 request to http://127.0.0.1:<port><path> (or another host's, e.g. a NodePort link); signed when credentials are given. */
export function s3(
  at: number | { host: string; port: number },
  method: 'GET' | 'PUT',
  path: string,
  body: string,
  credentials?: S3Credentials,
): Promise<{ status: number; body: string }> {
  const { host: hostname, port } = typeof at === 'number' ? { host: '127.0.0.1', port: at } : at;
  const host = `${hostname}:${port}`;
  const headers: Record<string, string> = { host };
  if (credentials !== undefined) {
    headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const region = credentials.region ?? 'us-east-1';
    headers['x-amz-date'] = amzDate;
    const names = Object.keys(headers).sort();
    const canonical = [method, path, '', ...names.map((name) => `${name}:${headers[name]}`), '', names.join(';'), 'UNSIGNED-PAYLOAD'].join(
      '\n',
    );
    const scope = `${day}/${region}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretKey}`, day), region), 's3'), 'aws4_request');
    const signature = createHmac('sha256', key).update(toSign).digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  }
  return new Promise((resolve, reject) => {
    // Keep-alive, and this side closes: MinIO closes a connection after an error answer, and
    // resets one it closes after `Connection: close`, which makes kubectl port-forward give up.
    const agent = new Agent({ keepAlive: true });
    const req = request(
      { host: hostname, port, path, method, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          agent.destroy();
          resolve({ status: response.statusCode ?? 0, body: text });
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from S3 ${method} ${path} within 10 s`)));
    req.on('error', (error) => {
      agent.destroy();
      reject(error);
    });
    req.end(body);
  });
}
