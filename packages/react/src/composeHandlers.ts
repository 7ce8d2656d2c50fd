/**
 * One event handler from the user's and the component's own: the user's runs first, and calling
 * `event.preventDefault()` in it skips the component's (as in Radix).
 *
 * @example
 * ```tsx
 * <div onKeyDown={composeHandlers(props.onKeyDown, openOnEnter)} />
 * ```
 */
export function composeHandlers<E extends { defaultPrevented: boolean }>(
  user: ((event: E) => void) | undefined,
  own: (event: E) => void,
): (event: E) => void {
  return (event) => {
    user?.(event);
    if (!event.defaultPrevented) own(event);
  };
}
