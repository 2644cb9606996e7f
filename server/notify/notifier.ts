// The notifier seam: how the hub tells a person that something needs them outside the dashboard.
// Email (email.ts) and Web Push to the dashboard (webPush.ts) implement it.
// What is said is made in messages.ts (pure), and when it is said, in onCall.ts.

/** A staff member as a notifier addresses them. */
export interface Recipient {
  id: string;
  displayName: string;
  /** Null: no address, so email cannot reach them. */
  email: string | null;
}

/**
 * What a notification says. Never a patient's name or values: it leaves the hub for mail
 * servers and phones' lock screens, so it names the patient by initials and links to the
 * dashboard, where the person signs in to read the rest.
 */
export interface Message {
  subject: string;
  text: string;
  /** Where in the dashboard to read the rest (a push opens it when tapped). */
  url: string;
}

export interface Notifier {
  /** What it is, for the logs. */
  readonly kind: string;
  /** Tells the person; false when it has no way to reach them. Rejects when sending fails. */
  notify(person: Recipient, message: Message): Promise<boolean>;
  close(): Promise<void>;
}
