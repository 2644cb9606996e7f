// Notifications by email over SMTP (nodemailer), configured by SMTP_URL and NOTIFY_FROM
// (server/config.ts). A connection per message (nodemailer's default): escalations come a few
// at a time, and a mail server that is down fails that message, which the caller logs.
import { createTransport } from 'nodemailer';
import type { Message, Notifier, Recipient } from './notifier.js';

export function emailNotifier(o: { smtpUrl: string; from: string }): Notifier {
  const transport = createTransport(o.smtpUrl, { from: o.from });
  return {
    kind: 'email',
    async notify(person: Recipient, message: Message): Promise<boolean> {
      if (!person.email) return false;
      await transport.sendMail({
        to: { name: person.displayName, address: person.email },
        subject: message.subject,
        text: message.text,
      });
      return true;
    },
    async close() {
      transport.close();
    },
  };
}
