/** Messages of complaints (投诉), in the shape of adapters/templates.ts. */
import type { TemplateDef } from './template-def.js';

export const COMPLAINT_TEMPLATES = {
  // A complaint is met with an apology at once, whoever turns out to be at fault: it calms the
  // customer while it is looked into (docs/after-sales.md §12); the resolution apologises again only
  // when the shop was at fault.
  complaintReceived: {
    params: { caseId: 'text', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '您的投诉已受理', body: '您好，很抱歉给您带来了不愉快的体验。您的投诉（编号 {caseId}）已记录并交由专人处理，我们会在 {answerBy} 前给您答复。' },
      en: { subject: 'We have received your complaint', body: 'Hello, we are sorry for the trouble you have had. Your complaint (no. {caseId}) has been recorded and handed to a dedicated agent. We will answer you by {answerBy}.' },
    },
  },
  /** The promised answer time passed (the session's lateApology): caseEscalated's words, naming the complaint. */
  complaintEscalated: {
    params: {},
    text: {
      'zh-CN': { subject: '处理进度致歉', body: '非常抱歉，您的投诉未能在我们承诺的时间内得到答复。我们已将其转交主管优先处理，并会尽快与您联系。' },
      en: { subject: 'We are sorry for the delay', body: 'We are sorry that your complaint was not answered within the time we promised. A supervisor is now handling it with priority and will contact you shortly.' },
    },
  },
  complaintResolved: {
    params: { plan: 'text' },
    closing: true,
    text: {
      'zh-CN': { subject: '您的投诉处理结果', body: '您好，关于您的投诉，我们的处理方案是：{plan}。' },
      en: { subject: 'The outcome of your complaint', body: 'Hello, regarding your complaint, this is what we have done: {plan}.' },
    },
  },
  complaintResolvedApology: {
    params: { plan: 'text' },
    closing: 'thanks',
    text: {
      'zh-CN': { subject: '向您致歉', body: '您好，这次是我们的过失，非常抱歉。我们的处理方案是：{plan}。我们已查明原因并改进，避免再次发生。' },
      en: { subject: 'Our apologies', body: 'Hello, this was our fault and we are very sorry. This is what we have done: {plan}. We have found the cause and changed what led to it, so that it does not happen again.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;
