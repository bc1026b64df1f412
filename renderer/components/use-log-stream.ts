/**
 * One container log streamed from the main process: opens it with
 * environments.logStream, appends the lines of its logs.lines events (checked
 * against the contract on arrival) and keeps only the last LOG_BOUNDS.lines,
 * counting the rest; stops the stream when replaced or when the view goes.
 */
import { useEffect, useRef, useState } from 'react';
import { LOG_BOUNDS } from '../../main/api';
import { ApiError, call, subscribe } from '../client/client';

export interface LogSelection {
  id: string;
  pod: string;
  container: string;
  follow: boolean;
  previous: boolean;
}

export interface LogStreamState {
  lines: string[];
  /** Lines let go (by the main process's bound or this view's) since the log was opened. */
  dropped: number;
  running: boolean;
  error?: ApiError;
}

export interface LogStream extends LogStreamState {
  /** Stops following: the lines so far stay, and the stream ends as any other would. */
  stop: () => void;
}

export function useLogStream(selection: LogSelection | undefined, generation: number): LogStream {
  // Tagged with the generation it belongs to: a new one starts empty without a reset inside the effect.
  const [tagged, setTagged] = useState<LogStreamState & { generation: number }>({ lines: [], dropped: 0, running: false, generation: -1 });
  const streamRef = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (selection === undefined) return undefined;
    let active = true;
    let streamId: string | undefined;
    const early: { streamId: string; lines: string[]; dropped: number }[] = [];
    const endedEarly = new Map<string, ApiError | null>();
    const fresh = { lines: [], dropped: 0, running: true, generation };
    const setState = (next: (before: LogStreamState) => LogStreamState): void =>
      setTagged((before) => ({ ...next(before.generation === generation ? before : fresh), generation }));
    const append = (lines: string[], dropped: number): void =>
      setState((before) => {
        const all = before.lines.concat(lines);
        const over = Math.max(0, all.length - LOG_BOUNDS.lines);
        return { ...before, lines: over === 0 ? all : all.slice(over), dropped: before.dropped + dropped + over };
      });
    const finish = (error: ApiError | null): void =>
      setState((before) => ({ ...before, running: false, ...(error === null ? {} : { error }) }));
    const unsubscribe = subscribe((event) => {
      if (!active) return;
      if (event.type === 'logs.lines') {
        // Events can arrive before the request's answer names the stream: keep them until it does.
        if (streamId === undefined) early.push(event);
        else if (event.streamId === streamId) append(event.lines, event.dropped);
      } else if (event.type === 'logs.ended') {
        const error = event.error === undefined ? null : new ApiError(event.error.code, event.error.message, event.error.field);
        if (streamId === undefined) endedEarly.set(event.streamId, error);
        else if (event.streamId === streamId) finish(error);
      }
    });
    call('environments.logStream', { ...selection, tailLines: 500 }).then(
      (answer) => {
        if (!active) return void call('environments.logStop', { streamId: answer.streamId }).catch(() => undefined);
        streamId = answer.streamId;
        streamRef.current = streamId;
        for (const batch of early) if (batch.streamId === streamId) append(batch.lines, batch.dropped);
        const ended = endedEarly.get(streamId);
        if (ended !== undefined) finish(ended);
      },
      (e: unknown) =>
        active &&
        setState(() => ({ lines: [], dropped: 0, running: false, error: e instanceof ApiError ? e : new ApiError('internal', String(e)) })),
    );
    return () => {
      active = false;
      unsubscribe();
      if (streamRef.current !== undefined) void call('environments.logStop', { streamId: streamRef.current }).catch(() => undefined);
      streamRef.current = undefined;
    };
  }, [selection, generation]);
  const stop = (): void => {
    if (streamRef.current !== undefined) void call('environments.logStop', { streamId: streamRef.current }).catch(() => undefined);
  };
  if (tagged.generation !== generation) return { lines: [], dropped: 0, running: selection !== undefined, stop };
  return { ...tagged, stop };
}
