/**
 * One object, one server-side apply PATCH (field manager `afp`). Without
 * force first; a field-manager conflict is reported with the field and its
 * manager, and taken over only when the caller asked for it.
 */
import { AfpError } from '../../errors';
import type { KubeObject } from '../../render/types';
import type { ProgressListener } from '../kinds/target';
import { describeKubeError } from '../../kube/api-errors';
import type { KubeClient } from '../../kube/client';
import { conflictsOf, conflictText } from './conflicts';
import { objectLabel } from './progress-text';
import { say, sayList, type Message } from '../../messages/message';
import { resourcePath, type Resources } from './resources';

export const FIELD_MANAGER = 'afp';

export interface ApplyContext {
  client: KubeClient;
  resources: Resources;
  signal: AbortSignal;
  forceConflicts: boolean;
  onProgress: ProgressListener;
}

/** Applies `object`; resolves with what the server holds now, rejects with an AfpError naming the object. */
export async function applyObject(ctx: ApplyContext, object: KubeObject): Promise<Record<string, unknown>> {
  const label = objectLabel(object.kind, object.metadata.name);
  const where = { object: label, server: ctx.client.server, context: ctx.client.context };
  const said = (event: { action: 'retrying' | 'conflict'; message: string; said: Message }): void =>
    ctx.onProgress({
      type: 'object',
      action: event.action,
      kind: object.kind,
      name: object.metadata.name,
      ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
      message: event.message,
      text: event.said.text,
      said: event.said,
      at: new Date().toISOString(),
    });
  try {
    const info = await ctx.resources.lookup(object.apiVersion, object.kind, ctx.signal);
    const patch = (force: boolean): Promise<Record<string, unknown>> =>
      ctx.client.request<Record<string, unknown>>(
        'PATCH',
        `${resourcePath(info, object.metadata.namespace, object.metadata.name)}?fieldManager=${FIELD_MANAGER}&force=${force}`,
        {
          body: object,
          // JSON is YAML: the apply content type with a JSON body.
          contentType: 'application/apply-patch+yaml',
          signal: ctx.signal,
          onRetry: (error, attempt, delayMs) => {
            const problem = describeKubeError(error, where).message;
            const seconds = (delayMs / 1000).toFixed(1);
            said({
              action: 'retrying',
              message: `attempt ${attempt} failed (${problem}); retrying in ${seconds} s`,
              said: say('deploy.retrying', { object: label, attempt, problem, seconds }),
            });
          },
        },
      );
    try {
      return await patch(false);
    } catch (error) {
      const conflicts = conflictsOf(error);
      if (conflicts.length === 0) throw error;
      const text = conflictText(label, conflicts);
      if (!ctx.forceConflicts) throw new AfpError('conflict', text, { field: conflicts[0]?.field ?? '', cause: error });
      const fields =
        sayList(
          conflicts.map((c) => say('deploy.fieldFrom', { field: c.field, manager: c.manager })),
          'comma',
        ) ?? say('deploy.fieldFrom', { field: '', manager: '' });
      said({
        action: 'conflict',
        message: `taking over ${fields.text}, as asked`,
        said: say('deploy.takingOver', { object: label, fields }),
      });
      return await patch(true);
    }
  } catch (error) {
    throw describeKubeError(error, where);
  }
}
