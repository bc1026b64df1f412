/**
 * Where IM and the dispatcher get the user's access token. The signed-in
 * AuthSession satisfies it as it is; tests pass their own (say, one whose
 * first token has expired).
 */
export interface TokenSource {
  accessToken(): Promise<string>;
  /** Runs `call` with a valid token; when `unauthorized(error)` says the token was refused, renews once and calls again, never more. */
  withFreshToken<T>(call: (token: string) => Promise<T>, unauthorized?: (error: unknown) => boolean): Promise<T>;
}
