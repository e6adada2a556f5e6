/**
 * GudDesk names its events as boolean flags (`{ onMessageCreated: true }`, see its webhook docs);
 * Herald's catalogue uses dotted types. This is the one place the two are translated.
 */
export const GUDDESK_EVENT_FLAGS = {
  onMessageCreated: 'message.created',
  onConversationCreated: 'conversation.created',
  onConversationClosed: 'conversation.closed',
  onConversationAssigned: 'conversation.assigned',
} as const;

export type GudDeskEventFlag = keyof typeof GUDDESK_EVENT_FLAGS;
export type GudDeskEventFlags = Partial<Record<GudDeskEventFlag, boolean>>;

/** Whether `name` is one of GudDesk's documented event flags. */
export function isGudDeskEventFlag(name: string): name is GudDeskEventFlag {
  return Object.prototype.hasOwnProperty.call(GUDDESK_EVENT_FLAGS, name);
}

/** The flags that are not GudDesk event names (so a caller can refuse them with a clear message). */
export function unknownGudDeskEventFlags(flags: Record<string, unknown>): string[] {
  return Object.keys(flags).filter((name) => !isGudDeskEventFlag(name));
}

/**
 * Catalogue types for the flags set to `true`, in GudDesk's documented order. Flags set to false and
 * names GudDesk does not document are left out; check `unknownGudDeskEventFlags` to refuse those.
 */
export function fromGudDeskEventFlags(flags: Record<string, unknown>): string[] {
  return (Object.keys(GUDDESK_EVENT_FLAGS) as GudDeskEventFlag[])
    .filter((flag) => flags[flag] === true)
    .map((flag) => GUDDESK_EVENT_FLAGS[flag]);
}

/** The GudDesk flag object for catalogue types; types GudDesk has no flag for are left out. */
export function toGudDeskEventFlags(types: readonly string[]): GudDeskEventFlags {
  const flags: GudDeskEventFlags = {};
  for (const flag of Object.keys(GUDDESK_EVENT_FLAGS) as GudDeskEventFlag[]) {
    if (types.includes(GUDDESK_EVENT_FLAGS[flag])) flags[flag] = true;
  }
  return flags;
}
