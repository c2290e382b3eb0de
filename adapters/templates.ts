/**
 * Customer notification texts, Chinese and English, one per step of a case. Names are the ones
 * the workflows pass to `notifyCustomer`. A template declares its parameters and their kinds, so
 * a message can never go out with a hole in it, and it says nothing about the customer beyond
 * what its parameters carry (no names, phones or addresses of the customer).
 */
import { carrierName } from '../domain/carriers.js';
import { isKnownCurrency } from '../domain/money.js';
import { zoneNameEn, zoneNameZh } from '../domain/time-zone-names.js';
import { formatMoney, memoFormat, type Locale } from './money.js';
import { COMPLAINT_TEMPLATES } from './templates/complaints.js';
import { EXCHANGE_TEMPLATES } from './templates/exchange.js';
import { FULFILMENT_TEMPLATES } from './templates/fulfilment.js';
import { REFUND_TEMPLATES } from './templates/refunds.js';
import type { ParamKind, TemplateDef } from './templates/template-def.js';

export type { ParamKind, TemplateDef };

export const CLOSING_LINE: Record<Locale, string> = {
  'zh-CN': '给您带来的不便，我们深表歉意；感谢您的理解与支持！',
  en: 'We apologise for the inconvenience and thank you for your understanding and support.',
};

/** The closing of a message that has apologised already (TemplateDef.closing 'thanks'). */
export const THANKS_LINE: Record<Locale, string> = {
  'zh-CN': '感谢您的理解与支持！',
  en: 'Thank you for your understanding and support.',
};

/**
 * A return's changed proposal, ending with what silence does; `withReason`: with why the agent
 * changed it, as the agent wrote it for the customer (a trial's customer was told only which items
 * were taken, not why the others were not).
 */
function changedReturn(silence: Record<Locale, string>, withReason = false): TemplateDef {
  const why = withReason ? { 'zh-CN': '说明：{reason}。', en: ' Why: {reason}.' } : { 'zh-CN': '', en: '' };
  return {
    params: withReason ? { lines: 'lines', reason: 'text', answerBy: 'date' } : { lines: 'lines', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '请确认调整后的退货方案', body: `您好，您的退货申请可按以下商品办理：{lines}。${why['zh-CN']}接受后请寄回以上商品，我们收到后为您退款；不接受则本次售后结束，无需寄回商品。请在 {answerBy} 前答复，${silence['zh-CN']}` },
      en: { subject: 'Please confirm the changed return', body: `Hello, we can take back and refund these items of your return: {lines}.${why.en} If you accept, send them back and we refund them once they arrive; if you decline, the request closes and nothing needs to be sent back. Please answer by {answerBy}; ${silence.en}` },
    },
  };
}

/** A return closed on its changed proposal, with why: nothing refunded, nothing to send back. */
function changedReturnClosed(why: Record<Locale, string>): TemplateDef {
  return {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '售后申请已结束', body: `您好，${why['zh-CN']}，售后申请 {caseId} 已结束，本次未办理退款，无需寄回商品。如仍需办理，欢迎重新提交售后申请。` },
      en: { subject: 'Your request is closed', body: `Hello, ${why.en}, so request {caseId} is closed: nothing was refunded and nothing needs to be sent back. If you still need help, you are welcome to open a new request.` },
    },
  };
}

const SILENCE_ACCEPTS: Record<Locale, string> = { 'zh-CN': '逾期未回复视为接受。', en: 'no answer by then accepts it.' };
const SILENCE_DECLINES: Record<Locale, string> = { 'zh-CN': '逾期未回复视为不接受，本次售后将结束。', en: 'with no answer by then the request closes.' };

/** The messages every case type shares (and the return case's); case types add theirs in templates/<type>.ts. */
const CASE_TEMPLATES = {
  /**
   * The case opened, and by when its solution comes: the same-day deadline, which after the shop's
   * hours or on its days off is the next working day's (a marketplace trial's customer, opening on a
   * Friday evening, was promised a solution "today" that was due on Monday).
   */
  caseOpenedSolutionBy: {
    params: { caseId: 'text', solutionDueAt: 'date' },
    text: {
      'zh-CN': { subject: '售后申请已受理', body: '您好，您的售后申请（编号 {caseId}）已受理。我们会在 {solutionDueAt} 前给出处理方案，请留意后续通知。' },
      en: { subject: 'We have received your after-sales request', body: 'Hello, we have received your after-sales request (no. {caseId}). We will propose a solution by {solutionDueAt} and keep you updated.' },
    },
  },
  /** As sent before caseOpenedSolutionBy: kept for messages queued then (the outbox renders them when it sends them). */
  caseOpened: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '售后申请已受理', body: '您好，您的售后申请（编号 {caseId}）已受理。我们会在今天内给出处理方案，请留意后续通知。' },
      en: { subject: 'We have received your after-sales request', body: 'Hello, we have received your after-sales request (no. {caseId}). We will propose a solution today and keep you updated.' },
    },
  },
  /**
   * A return approved for less than was asked (the changed proposal): what accepting and declining
   * do, and what silence does under the case's policy — the customer answers knowing it. Before,
   * solutionProposed (still rendered for the messages it sent) said neither.
   */
  returnProposalSilenceAccepts: changedReturn(SILENCE_ACCEPTS),
  returnProposalSilenceDeclines: changedReturn(SILENCE_DECLINES),
  /** The same, with the agent's reason for the change (sent whenever the agent gave one). */
  returnProposalWithReasonSilenceAccepts: changedReturn(SILENCE_ACCEPTS, true),
  returnProposalWithReasonSilenceDeclines: changedReturn(SILENCE_DECLINES, true),
  /** The changed proposal declined, or not answered where silence declines: closed with nothing refunded, said so (not "completed"). */
  returnProposalDeclined: changedReturnClosed({ 'zh-CN': '您未接受调整后的退货方案', en: 'you did not accept the changed return' }),
  returnProposalLapsed: changedReturnClosed({ 'zh-CN': '我们未在期限内收到您对调整后退货方案的答复', en: 'we did not hear from you about the changed return in time' }),
  solutionProposed: {
    params: { lines: 'lines', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '请确认处理方案', body: '您好，针对您的售后申请，我们建议按以下商品办理：{lines}。请在 {answerBy} 前告诉我们是否接受该方案。' },
      en: { subject: 'Please confirm our proposed solution', body: 'Hello, for your after-sales request we propose to handle these items: {lines}. Please let us know by {answerBy} whether you accept.' },
    },
  },
  proposalAccepted: {
    params: {},
    text: {
      'zh-CN': { subject: '已收到您的确认', body: '您好，您已接受处理方案，我们将按方案尽快为您办理。' },
      en: { subject: 'Thank you for confirming', body: 'Hello, you have accepted our proposed solution. We will now carry it out as quickly as we can.' },
    },
  },
  /** As sent before returnApprovedWithLines: kept so that the messages it sent read as they were sent (GET /v1/cases/{caseId}/messages renders them again). */
  returnApproved: {
    params: { returnAddress: 'text', shipBy: 'date' },
    text: {
      'zh-CN': { subject: '退货申请已通过', body: '您好，您的退货申请已通过。请将商品连同原包装寄回：{returnAddress}，并在 {shipBy} 前寄出；寄出后请在订单中填写退货快递单号。' },
      en: { subject: 'Your return has been approved', body: 'Hello, your return has been approved. Please send the items in their original packaging to: {returnAddress} by {shipBy}, and enter the return tracking number in your order once shipped.' },
    },
  },
  /** Which goods to send: after a partial approval, only those approved (a trial's customer was not told). */
  returnApprovedWithLines: {
    params: { lines: 'lines', returnAddress: 'text', shipBy: 'date' },
    text: {
      'zh-CN': { subject: '退货申请已通过', body: '您好，您的退货申请已通过。请将以下商品连同原包装寄回：{lines}。寄回地址：{returnAddress}，请在 {shipBy} 前寄出；寄出后请在订单中填写退货快递单号。' },
      en: { subject: 'Your return has been approved', body: 'Hello, your return has been approved. Please send these items in their original packaging: {lines}, to: {returnAddress} by {shipBy}, and enter the return tracking number in your order once shipped.' },
    },
  },
  /**
   * The same with the return code to put in the parcel (the case id, which the warehouse scans when
   * a parcel comes without a tracking number it knows): before, customers were never told it, and a
   * parcel sent without the tracking number entered could only be matched by hand.
   */
  returnApprovedWithCode: {
    params: { lines: 'lines', returnAddress: 'text', shipBy: 'date', returnCode: 'text' },
    text: {
      'zh-CN': { subject: '退货申请已通过', body: '您好，您的退货申请已通过。请将以下商品连同原包装寄回：{lines}。寄回地址：{returnAddress}，请在 {shipBy} 前寄出。请在包裹内放一张写有退货码 {returnCode} 的纸条，仓库凭此码确认是您的退货；寄出后请在订单中填写退货快递单号。' },
      en: { subject: 'Your return has been approved', body: 'Hello, your return has been approved. Please send these items in their original packaging: {lines}, to: {returnAddress} by {shipBy}. Put a note with the return code {returnCode} inside the parcel, so that the warehouse knows it is your return, and enter the return tracking number in your order once shipped.' },
    },
  },
  /**
   * Goods to send back in a case that is not a return (an exchange, a quality problem's remedy, a
   * wrong item, transit damage): the return's "your return has been approved" would name the wrong request.
   */
  sendGoodsBack: {
    params: { lines: 'lines', returnAddress: 'text', shipBy: 'date' },
    text: {
      'zh-CN': { subject: '请寄回商品', body: '您好，请将以下商品寄回（原包装尚在的，请一并寄回）：{lines}。寄回地址：{returnAddress}，请在 {shipBy} 前寄出；寄出后请在订单中填写快递单号，我们收到后继续为您处理。' },
      en: { subject: 'Please send the goods back', body: 'Hello, please send these items back, in their original packaging where you still have it: {lines}, to: {returnAddress} by {shipBy}, and enter the tracking number in your order once shipped; we go on with your request when they arrive.' },
    },
  },
  /**
   * The same with the return code to put in the parcel (see returnApprovedWithCode), and what not
   * sending does: the request closes (the old text said neither, and its close read "your return").
   */
  sendGoodsBackWithCode: {
    params: { lines: 'lines', returnAddress: 'text', shipBy: 'date', returnCode: 'text' },
    text: {
      'zh-CN': { subject: '请寄回商品', body: '您好，请将以下商品寄回（原包装尚在的，请一并寄回）：{lines}。寄回地址：{returnAddress}，请在 {shipBy} 前寄出，逾期未寄出本次售后申请将结束。请在包裹内放一张写有退货码 {returnCode} 的纸条，仓库凭此码确认是您的包裹；寄出后请在订单中填写快递单号，我们收到后继续为您处理。' },
      en: { subject: 'Please send the goods back', body: 'Hello, please send these items back, in their original packaging where you still have it: {lines}, to: {returnAddress} by {shipBy}; if they are not sent by then, this request closes. Put a note with the return code {returnCode} inside the parcel, so that the warehouse knows it is yours, and enter the tracking number in your order once shipped; we go on with your request when they arrive.' },
    },
  },
  /** The same, when what comes back is refunded (transit damage): the customer is told how much. */
  sendGoodsBackForRefund: {
    params: { lines: 'lines', returnAddress: 'text', shipBy: 'date', returnCode: 'text', amountMinor: 'money', currency: 'currency' },
    text: {
      'zh-CN': { subject: '请寄回商品', body: '您好，请将以下商品寄回（原包装尚在的，请一并寄回）：{lines}。寄回地址：{returnAddress}，请在 {shipBy} 前寄出，逾期未寄出本次售后申请将结束。请在包裹内放一张写有退货码 {returnCode} 的纸条，仓库凭此码确认是您的包裹；寄出后请在订单中填写快递单号。我们收到后将为您退款 {amountMinor}。' },
      en: { subject: 'Please send the goods back', body: 'Hello, please send these items back, in their original packaging where you still have it: {lines}, to: {returnAddress} by {shipBy}; if they are not sent by then, this request closes. Put a note with the return code {returnCode} inside the parcel, so that the warehouse knows it is yours, and enter the tracking number in your order once shipped. Once they arrive, we refund you {amountMinor}.' },
    },
  },
  /**
   * The return's approval with who pays for the parcel back (domain/return-postage.ts): a customer
   * told neither sent a shop-fault return prepaid, or a no-reason one freight collect, which the
   * warehouse then refused or paid.
   */
  returnApprovedWithPostage: {
    params: { lines: 'lines', returnAddress: 'text', shipBy: 'date', returnCode: 'text', postage: 'postage' },
    text: {
      'zh-CN': { subject: '退货申请已通过', body: '您好，您的退货申请已通过。请将以下商品连同原包装寄回：{lines}。寄回地址：{returnAddress}，请在 {shipBy} 前寄出。{postage}请在包裹内放一张写有退货码 {returnCode} 的纸条，仓库凭此码确认是您的退货；寄出后请在订单中填写退货快递单号。' },
      en: { subject: 'Your return has been approved', body: 'Hello, your return has been approved. Please send these items in their original packaging: {lines}, to: {returnAddress} by {shipBy}. {postage} Put a note with the return code {returnCode} inside the parcel, so that the warehouse knows it is your return, and enter the return tracking number in your order once shipped.' },
    },
  },
  /** Goods asked back (not a return) with who pays for the parcel: the shop, where it or the carrier is at fault. */
  sendGoodsBackWithPostage: {
    params: { lines: 'lines', returnAddress: 'text', shipBy: 'date', returnCode: 'text', postage: 'postage' },
    text: {
      'zh-CN': { subject: '请寄回商品', body: '您好，请将以下商品寄回（原包装尚在的，请一并寄回）：{lines}。寄回地址：{returnAddress}，请在 {shipBy} 前寄出，逾期未寄出本次售后申请将结束。{postage}请在包裹内放一张写有退货码 {returnCode} 的纸条，仓库凭此码确认是您的包裹；寄出后请在订单中填写快递单号，我们收到后继续为您处理。' },
      en: { subject: 'Please send the goods back', body: 'Hello, please send these items back, in their original packaging where you still have it: {lines}, to: {returnAddress} by {shipBy}; if they are not sent by then, this request closes. {postage} Put a note with the return code {returnCode} inside the parcel, so that the warehouse knows it is yours, and enter the tracking number in your order once shipped; we go on with your request when they arrive.' },
    },
  },
  /** The same, when what comes back is refunded (transit damage). */
  sendGoodsBackForRefundWithPostage: {
    params: { lines: 'lines', returnAddress: 'text', shipBy: 'date', returnCode: 'text', amountMinor: 'money', currency: 'currency', postage: 'postage' },
    text: {
      'zh-CN': { subject: '请寄回商品', body: '您好，请将以下商品寄回（原包装尚在的，请一并寄回）：{lines}。寄回地址：{returnAddress}，请在 {shipBy} 前寄出，逾期未寄出本次售后申请将结束。{postage}请在包裹内放一张写有退货码 {returnCode} 的纸条，仓库凭此码确认是您的包裹；寄出后请在订单中填写快递单号。我们收到后将为您退款 {amountMinor}。' },
      en: { subject: 'Please send the goods back', body: 'Hello, please send these items back, in their original packaging where you still have it: {lines}, to: {returnAddress} by {shipBy}; if they are not sent by then, this request closes. {postage} Put a note with the return code {returnCode} inside the parcel, so that the warehouse knows it is yours, and enter the tracking number in your order once shipped. Once they arrive, we refund you {amountMinor}.' },
    },
  },
  /**
   * Goods asked back from a customer who holds something of the shop's meanwhile (the replacement of an
   * exchange that shipped first, or a loan item): not sending them goes to an agent, not a close. Said
   * without naming why, which differs (a replacement sent ahead, or a loan while the exchange turns into a refund).
   */
  sendOldGoodsBack: {
    params: { lines: 'lines', returnAddress: 'text', shipBy: 'date', returnCode: 'text' },
    text: {
      'zh-CN': { subject: '请寄回原商品', body: '您好，请将原商品寄回（原包装尚在的，请一并寄回）：{lines}。寄回地址：{returnAddress}，请在 {shipBy} 前寄出。请在包裹内放一张写有退货码 {returnCode} 的纸条，仓库凭此码确认是您的包裹；寄出后请在订单中填写快递单号。逾期未寄出，客服将与您联系。' },
      en: { subject: 'Please send the original goods back', body: 'Hello, please send the original goods back, in their original packaging where you still have it: {lines}, to: {returnAddress} by {shipBy}. Put a note with the return code {returnCode} inside the parcel, so that the warehouse knows it is yours, and enter the tracking number in your order once shipped. If they are not sent by then, our customer service will contact you.' },
    },
  },
  /** A day before goods asked back (not a return's) are due to be sent; what silence does as the ask said. */
  sendBackReminder: {
    params: { shipBy: 'date' },
    text: {
      'zh-CN': { subject: '提醒：请寄回商品', body: '您好，温馨提醒：请在 {shipBy} 前寄回商品并填写快递单号，逾期本次售后申请将结束。' },
      en: { subject: 'Reminder: please send the goods back', body: 'Hello, a friendly reminder: please send the goods back and enter the tracking number by {shipBy}; after that this request closes.' },
    },
  },
  oldGoodsBackReminder: {
    params: { shipBy: 'date' },
    text: {
      'zh-CN': { subject: '提醒：请寄回原商品', body: '您好，温馨提醒：请在 {shipBy} 前寄回原商品并填写快递单号；逾期未寄出，客服将与您联系。' },
      en: { subject: 'Reminder: please send the original goods back', body: 'Hello, a friendly reminder: please send the original goods back and enter the tracking number by {shipBy}; if they are not sent by then, our customer service will contact you.' },
    },
  },
  /** Goods asked back (not a return) and not sent in time: the request closes, said without calling it a return. */
  closedGoodsNotSent: {
    params: {},
    closing: true,
    text: {
      'zh-CN': { subject: '售后申请已关闭', body: '您好，由于我们未在规定期限内收到商品的寄出信息，本次售后申请已关闭。如仍需办理，请重新提交售后申请。' },
      en: { subject: 'Your request has been closed', body: 'Hello, as we did not receive shipping details for the goods within the deadline, this request has been closed. If you still need help, please open a new after-sales request.' },
    },
  },
  returnRejected: {
    params: { reason: 'text' },
    closing: 'thanks',
    text: {
      'zh-CN': { subject: '退货申请未通过', body: '很抱歉，您的退货申请未能通过，原因：{reason}。如有疑问，请回复本消息联系客服。' },
      en: { subject: 'Your return request was not approved', body: 'We are sorry, your return request could not be approved. Reason: {reason}. If you have any questions, reply to this message to reach our customer service.' },
    },
  },
  shipReminder: {
    params: { shipBy: 'date' },
    text: {
      'zh-CN': { subject: '提醒：请寄回退货商品', body: '您好，温馨提醒：请在 {shipBy} 前寄回退货商品并填写快递单号，逾期本次退货申请将关闭。' },
      en: { subject: 'Reminder: please ship your return', body: 'Hello, a friendly reminder: please ship the returned items and enter the tracking number by {shipBy}; after that the return request will be closed.' },
    },
  },
  closedNotShipped: {
    params: {},
    closing: true,
    text: {
      'zh-CN': { subject: '退货申请已关闭', body: '您好，由于我们未在规定期限内收到您的退货寄出信息，本次退货申请已关闭。如仍需办理，请重新提交售后申请。' },
      en: { subject: 'Your return request has been closed', body: 'Hello, as we did not receive shipping details for your return within the deadline, this return request has been closed. If you still need help, please open a new after-sales request.' },
    },
  },
  // No apology closing: the customer withdrew it themselves (a phone trial found it odd); thanks instead.
  requestWithdrawn: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '售后申请已撤销', body: '您好，您的售后申请 {caseId} 已按您的要求撤销，无需寄回商品。如仍需办理，欢迎随时重新提交售后申请。感谢您的支持！' },
      en: { subject: 'Your request has been withdrawn', body: 'Hello, your after-sales request {caseId} has been withdrawn as you asked; nothing needs to be sent back. If you still need help, you are welcome to open a new request at any time. Thank you!' },
    },
  },
  // An exchange withdrawn rather than its price difference paid: nothing was sent, nothing is owed.
  exchangeWithdrawn: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '换货申请已撤销', body: '您好，您的换货申请 {caseId} 已按您的要求撤销，无需支付差价，也无需寄回商品。如仍需办理，欢迎随时重新提交售后申请。感谢您的支持！' },
      en: { subject: 'Your exchange request has been withdrawn', body: 'Hello, your exchange request {caseId} has been withdrawn as you asked; there is no price difference to pay and nothing to send back. If you still need help, you are welcome to open a new request at any time. Thank you!' },
    },
  },
  // A request withdrawn before anything was checked, sent or paid (missing items found, a lost parcel turned up): thanks.
  caseWithdrawn: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '售后申请已撤销', body: '您好，您的售后申请 {caseId} 已按您的要求撤销。如仍需办理，欢迎随时重新提交售后申请。感谢您的支持！' },
      en: { subject: 'Your request has been withdrawn', body: 'Hello, your after-sales request {caseId} has been withdrawn as you asked. If you still need help, you are welcome to open a new request at any time. Thank you!' },
    },
  },
  // A complaint withdrawn before it was answered: thanks, and the door left open.
  complaintWithdrawn: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '投诉已撤销', body: '您好，您的投诉 {caseId} 已按您的要求撤销。如仍有问题，欢迎随时联系我们。感谢您的理解与支持！' },
      en: { subject: 'Your complaint has been withdrawn', body: 'Hello, your complaint {caseId} has been withdrawn as you asked. If anything is still wrong, you are welcome to contact us at any time. Thank you for your understanding!' },
    },
  },
  // A refund before shipping withdrawn while the merchant decided: nothing was cancelled, so the order goes out.
  refundRequestWithdrawn: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '退款申请已撤销', body: '您好，您的退款申请 {caseId} 已按您的要求撤销，订单将照常为您发货。如仍需办理，欢迎随时重新提交售后申请。感谢您的支持！' },
      en: { subject: 'Your refund request has been withdrawn', body: 'Hello, your refund request {caseId} has been withdrawn as you asked; your order will be sent as usual. If you still need help, you are welcome to open a new request at any time. Thank you!' },
    },
  },
  parcelReceived: {
    params: {},
    text: {
      'zh-CN': { subject: '退货已签收', body: '您好，您寄回的商品已到达仓库，我们会尽快验货并通知您结果。' },
      en: { subject: 'We have received your return', body: 'Hello, your returned parcel has arrived at our warehouse. We will inspect it shortly and let you know the result.' },
    },
  },
  /** Goods asked back (not a return's) have arrived: the request goes on (send-back-told). */
  goodsReceived: {
    params: {},
    text: {
      'zh-CN': { subject: '寄回的商品已签收', body: '您好，您寄回的商品已到达仓库，我们会尽快验收并继续为您处理。' },
      en: { subject: 'We have received the goods you sent back', body: 'Hello, the goods you sent back have arrived at our warehouse. We will check them shortly and go on with your request.' },
    },
  },
  /** A parcel on the warehouse's hold shelf (domain/held-parcels.ts heldParcelMessage): it arrived before its request was decided. */
  parcelHeldUntilDecided: {
    params: {},
    text: {
      'zh-CN': { subject: '寄回的包裹已到达仓库', body: '您好，您寄回的包裹已到达仓库，您的售后申请尚在处理中。我们会妥善保管包裹：申请通过后继续为您处理；如未通过，将把包裹寄还给您。' },
      en: { subject: 'The parcel you sent has arrived', body: 'Hello, the parcel you sent back has arrived at our warehouse while your request is still being decided. We keep it safe: once your request is approved we go on with it, and if it is not, we send the parcel back to you.' },
    },
  },
  /** It arrived after its request ended with nothing given for the goods: they are the customer's and go back. */
  parcelHeldToSendBack: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '寄回的包裹将退还给您', body: '您好，您寄回的包裹已到达仓库，但售后申请 {caseId} 已经结束。商品仍归您所有，我们会将包裹寄还给您，寄出时再通知您。' },
      en: { subject: 'We will send your parcel back to you', body: 'Hello, the parcel you sent back has arrived at our warehouse, but request {caseId} had already ended. The goods are still yours: we will send the parcel back to you and let you know when it leaves.' },
    },
  },
  /** It arrived after its request went on without it (refunded, replaced, resolved): the shop decides, and says so (heldParcelSentBack…, heldParcelKept). */
  parcelHeldForAgent: {
    params: {},
    text: {
      'zh-CN': { subject: '寄回的包裹已到达仓库', body: '您好，您寄回的包裹已到达仓库，但您的售后申请在此之前已经办理，不再等待这个包裹。我们确认包裹如何处理后会通知您。' },
      en: { subject: 'The parcel you sent has arrived', body: 'Hello, the parcel you sent back has arrived at our warehouse, but your request had been dealt with before it came and no longer waits for it. We will let you know what happens to it once that is decided.' },
    },
  },
  /** A held parcel is taken in once its request asks for the goods (api/held-parcel-intake.ts): sent right after the message asking for them, so the customer does not post them again. */
  heldParcelTakenIn: {
    params: {},
    text: {
      'zh-CN': { subject: '无需再寄回商品', body: '您好，您在申请通过前寄回的包裹已在我们仓库，将作为本次退回处理，您无需再寄送任何商品。我们会尽快验货并通知您结果。' },
      en: { subject: 'No need to send anything', body: 'Hello, the parcel you sent before your request was approved is already at our warehouse and counts as your return: you do not need to send anything. We will inspect it shortly and let you know the result.' },
    },
  },
  /** The shop keeps a held parcel (an agent's call, recorded with who decided and why): said without claiming why, which the staff's note holds. */
  heldParcelKept: {
    params: {},
    text: {
      'zh-CN': { subject: '寄回的包裹由店铺留存', body: '您好，经客服核实您的售后申请，您寄回的商品由店铺留存，无需再做处理。如有疑问，请联系客服。' },
      en: { subject: 'We keep the parcel you sent', body: 'Hello, customer service has looked into your request: the goods you sent stay with the shop, and nothing more is needed from you. If you have any questions, please contact our customer service.' },
    },
  },
  /** A held parcel went back to the customer, under the number the warehouse gave. */
  heldParcelSentBackAs: {
    params: { trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '包裹已寄还给您', body: '您好，您寄回的包裹已寄还给您，运单号 {trackingNumber}，请留意查收。' },
      en: { subject: 'Your parcel is on its way back to you', body: 'Hello, we have sent the parcel you sent us back to you, tracking number {trackingNumber}. Please look out for it.' },
    },
  },
  /** The same, when the warehouse gave no number. */
  heldParcelSentBack: {
    params: {},
    text: {
      'zh-CN': { subject: '包裹已寄还给您', body: '您好，您寄回的包裹已寄还给您，请留意查收。' },
      en: { subject: 'Your parcel is on its way back to you', body: 'Hello, we have sent the parcel you sent us back to you. Please look out for it.' },
    },
  },
  inspectionResult: {
    params: { lines: 'lines' },
    text: {
      'zh-CN': { subject: '验货结果', body: '您好，您的退货已验收，结果如下：{lines}。' },
      en: { subject: 'Inspection result', body: 'Hello, we have inspected your return: {lines}.' },
    },
  },
  /** The same, when it is not what the customer asked to return (a count mismatch): an agent looks into it first. */
  inspectionMismatch: {
    params: { lines: 'lines' },
    text: {
      'zh-CN': { subject: '验货结果', body: '您好，您的退货已验收，结果如下：{lines}。与您申请退货的商品数量不一致，客服将核实后与您联系，告知如何处理。' },
      en: { subject: 'Inspection result', body: 'Hello, we have inspected your return: {lines}. This is not what you asked to return: our customer service will look into it and contact you about what happens next.' },
    },
  },
  /** What the warehouse found in goods a take-back asked for (send-back-told): the request goes on. */
  goodsInspected: {
    params: { lines: 'lines' },
    text: {
      'zh-CN': { subject: '验货结果', body: '您好，您寄回的商品已验收，结果如下：{lines}。我们会继续为您处理。' },
      en: { subject: 'Inspection result', body: 'Hello, we have inspected the goods you sent back: {lines}. We now go on with your request.' },
    },
  },
  /** Goods taken back for an exchange, a replacement or a repair came back not as asked (short, or damaged by the customer): an agent decides before anything more is done. */
  goodsInspectedToBeReviewed: {
    params: { lines: 'lines' },
    text: {
      'zh-CN': { subject: '验货结果', body: '您好，您寄回的商品已验收，结果如下：{lines}。与我们请您寄回的商品不一致或有损坏，客服将核实后与您联系，再继续为您办理。' },
      en: { subject: 'Inspection result', body: 'Hello, we have inspected the goods you sent back: {lines}. This is not what we asked you to send back, or it came back damaged: our customer service will look into it and contact you before we go on with your request.' },
    },
  },
  // Goods refunded on their return (transit damage, a quality problem) that came back short of what was asked: an agent decides the refund first.
  goodsInspectedNotAsAsked: {
    params: { lines: 'lines' },
    text: {
      'zh-CN': { subject: '验货结果', body: '您好，您寄回的商品已验收，结果如下：{lines}。与我们请您寄回的商品不一致，客服将核实后与您联系，再为您办理退款。' },
      en: { subject: 'Inspection result', body: 'Hello, we have inspected the goods you sent back: {lines}. This is not all we asked you to send back: our customer service will look into it and contact you before your refund is made.' },
    },
  },
  /** A return whose inspection excluded every line (damaged after delivery, missing): said, not left to guess. */
  nothingRefunded: {
    params: { lines: 'lines' },
    closing: true,
    text: {
      'zh-CN': { subject: '本次退货无退款', body: '您好，您的退货验收结果为：{lines}。根据验收结果，本次退货没有可退的款项，因此不会退款。如有疑问，请回复本消息联系客服。' },
      en: { subject: 'No refund for this return', body: 'Hello, we inspected your return: {lines}. As inspected, nothing in it can be refunded, so no refund will be paid. If you have any questions, reply to this message to reach our customer service.' },
    },
  },
  refundIssued: {
    params: { amountMinor: 'money', currency: 'currency' },
    closing: true,
    text: {
      'zh-CN': { subject: '退款已发起', body: '您好，{amountMinor} 的退款已发起，将原路退回您的支付账户，到账时间以支付渠道为准。' },
      en: { subject: 'Your refund has been issued', body: 'Hello, a refund of {amountMinor} has been issued to your original payment method; when it arrives depends on your payment provider.' },
    },
  },
  /**
   * A refund the customer's bank sent back after the provider had accepted it (an account closed, a
   * card cancelled): told at once, not left for the customer to find the money missing
   * (db/refund-settlement.ts). An agent pays it again, and the customer hears `refundIssued` then.
   */
  refundReturned: {
    params: { amountMinor: 'money', currency: 'currency' },
    text: {
      'zh-CN': { subject: '退款未能到账', body: '您好，{amountMinor} 的退款被您的银行或支付渠道退回，未能到账。重新退款仍将原路退回您的支付账户，请确认该账户可以正常收款（例如银行卡未注销、未冻结）；我们的客服会与您联系后重新退款，您也可以直接回复本消息。' },
      en: { subject: 'Your refund could not be paid', body: 'Hello, your bank or payment provider sent back the refund of {amountMinor}, so it did not reach you. It will be paid again to the same payment method, so please make sure that account can receive money (not closed or frozen); our customer service will contact you and refund you again. You can also reply to this message.' },
    },
  },
  /**
   * A refund still pending at the customer's bank a week after it was paid (the refund follower's
   * REFUND_PENDING_LONG, db/refund-settlement.ts): the customer who finds no money after a week hears
   * that it is known and followed, not silence; the case is escalated for an agent to ask the
   * payment provider. Said once.
   */
  refundPendingAtBank: {
    params: { amountMinor: 'money', currency: 'currency', paidAt: 'date' },
    text: {
      'zh-CN': { subject: '退款仍在处理中', body: '您好，{paidAt} 发起的 {amountMinor} 退款至今仍在您的银行或支付渠道处理中，尚未到账。我们的客服正在与支付渠道核实，并会跟进直至到账；如退款被退回，我们会通知您并重新退款。您也可以直接回复本消息。' },
      en: { subject: 'Your refund is still on its way', body: 'Hello, the refund of {amountMinor} issued on {paidAt} is still being processed by your bank or payment provider and has not reached you yet. Our customer service is checking it with the payment provider and will follow it until it arrives; should it be sent back, we will tell you and refund you again. You can also reply to this message.' },
    },
  },
  /**
   * A refund sent back and paid again for less: the order's other cases refunded part of what it was
   * paid in the meantime, and the payment again is granted only what the order had left
   * (workflows/refund-again.ts). Said with both amounts, or the customer sees a smaller refund than
   * the one that came back and no reason.
   */
  refundPaidAgainPart: {
    params: { amountMinor: 'money', returnedMinor: 'money', currency: 'currency' },
    closing: true,
    text: {
      'zh-CN': { subject: '退款已重新发起', body: '您好，此前被银行退回的 {returnedMinor} 退款已重新发起。由于在此期间该订单的其他售后申请已退款，订单剩余可退金额为 {amountMinor}，因此本次重新退款 {amountMinor}，将原路退回您的支付账户，到账时间以支付渠道为准。' },
      en: { subject: 'Your refund has been paid again', body: 'Hello, we have refunded you again, but only {amountMinor} of the {returnedMinor} that was sent back: in the meantime other after-sales requests on this order were refunded, and {amountMinor} is all the order had left. It goes to your original payment method; when it arrives depends on your payment provider.' },
    },
  },
  /**
   * A refund that came to nothing: earlier refunds of the order (its other cases', or this case's
   * own) had paid back all it was paid (workflows/money.ts). Without it the customer who chose their
   * money heard nothing at all.
   */
  refundNothingLeft: {
    params: {},
    closing: true,
    text: {
      'zh-CN': { subject: '本次无需再退款', body: '您好，该订单的实付金额此前已全部退回，本次无需再退款。' },
      en: { subject: 'Nothing more to refund', body: 'Hello, everything paid for this order has already been refunded, so nothing more is refunded now.' },
    },
  },
  refundDelayed: {
    params: { expectedBy: 'date' },
    text: {
      'zh-CN': { subject: '退款进度通知', body: '很抱歉，您的退款处理比预期慢，预计将在 {expectedBy} 前完成。我们会持续跟进，到账后再通知您。' },
      en: { subject: 'An update on your refund', body: 'We are sorry: your refund is taking longer than expected. We expect to complete it by {expectedBy} and will let you know when it is done.' },
    },
  },
  caseEscalated: {
    params: {},
    text: {
      'zh-CN': { subject: '处理进度致歉', body: '非常抱歉，您的售后申请未能在我们承诺的时间内得到处理。我们已将其转交主管优先处理，并会尽快与您联系。' },
      en: { subject: 'We are sorry for the delay', body: 'We are sorry that your after-sales request was not handled within the time we promised. A supervisor is now handling it with priority and will contact you shortly.' },
    },
  },
  revisit: {
    params: { answerBy: 'date' },
    text: {
      'zh-CN': { subject: '服务满意度回访', body: '您好，您的售后问题已处理完毕。请为本次服务打分：回复 1–5 的数字（1 = 非常不满意，5 = 非常满意），请在 {answerBy} 前回复。感谢您的反馈！' },
      en: { subject: 'How did we do?', body: 'Hello, your after-sales request has been resolved. Please rate our service by replying with a number from 1 to 5 (1 = very dissatisfied, 5 = very satisfied) by {answerBy}. Thank you for your feedback!' },
    },
  },
  /**
   * The revisit, saying what silence does (revisit-silence-told): the request closes as it stands;
   * and that a low score has it looked at again. Before, `revisit` asked for a score by a date and
   * left both unsaid.
   */
  revisitSilenceCloses: {
    params: { answerBy: 'date' },
    text: {
      'zh-CN': { subject: '服务满意度回访', body: '您好，您的售后问题已处理完毕。请为本次服务打分：回复 1–5 的数字（1 = 非常不满意，5 = 非常满意），请在 {answerBy} 前回复；逾期未回复，本次售后将按现有结果结案。如对结果不满意，请打低分，我们会重新为您处理。感谢您的反馈！' },
      en: { subject: 'How did we do?', body: 'Hello, your after-sales request has been resolved. Please rate our service by replying with a number from 1 to 5 (1 = very dissatisfied, 5 = very satisfied) by {answerBy}; if we do not hear from you by then, the request is closed as it stands. If you are not satisfied with the outcome, give a low score and we will look at it again. Thank you for your feedback!' },
    },
  },
  caseReopened: {
    params: {},
    text: {
      'zh-CN': { subject: '售后申请已重新打开', body: '您好，感谢您的反馈。我们已重新打开您的售后申请，客服会尽快与您联系，直到问题解决。' },
      en: { subject: 'Your request has been reopened', body: 'Hello, thank you for your feedback. We have reopened your after-sales request; an agent will contact you shortly and stay with it until it is resolved.' },
    },
  },
  caseReopenedByStaff: {
    params: {},
    text: {
      'zh-CN': { subject: '售后申请已重新打开', body: '您好，我们重新查看了您已处理完毕的售后申请，现已将其重新打开并交由主管跟进，客服会尽快与您联系，直到问题解决。' },
      en: { subject: 'Your request has been reopened', body: 'Hello, we have looked again at your after-sales request, which was marked as resolved, and reopened it with a supervisor following it; an agent will contact you shortly and stay with it until it is resolved.' },
    },
  },
  /** Closed by an agent (a wait the workflow could not decide): not called "completed", with where to turn. */
  caseClosedByAgent: {
    params: {},
    closing: true,
    text: {
      'zh-CN': { subject: '售后申请已关闭', body: '您好，经客服处理，您的售后申请已关闭。如对处理结果有疑问，请直接回复本消息，我们会为您跟进。' },
      en: { subject: 'Your after-sales request is closed', body: 'Hello, our customer service has dealt with your after-sales request and closed it. If anything about the outcome is unclear, reply to this message and we will follow it up.' },
    },
  },
  /**
   * What an agent decided, in their words for the customer, when the case goes on rather than closes
   * (agent-word-told): a quality problem found to be misuse, a revisit's low score dealt with — the
   * customer heard nothing of it and was next asked to rate the outcome.
   */
  agentDecisionExplained: {
    params: { message: 'text' },
    text: {
      'zh-CN': { subject: '客服对您的售后申请的处理说明', body: '您好，关于您的售后申请，客服的处理说明：{message}。如有疑问，请直接回复本消息。' },
      en: { subject: 'What customer service decided on your request', body: 'Hello, about your after-sales request, customer service has decided: {message}. If anything is unclear, reply to this message.' },
    },
  },
  /** The same with why, as the agent wrote it for the customer (the resolution's customerMessage). */
  caseClosedByAgentWithReason: {
    params: { reason: 'text' },
    closing: true,
    text: {
      'zh-CN': { subject: '售后申请已关闭', body: '您好，经客服处理，您的售后申请已关闭。说明：{reason}。如对处理结果有疑问，请直接回复本消息，我们会为您跟进。' },
      en: { subject: 'Your after-sales request is closed', body: 'Hello, our customer service has dealt with your after-sales request and closed it. Why: {reason}. If anything about the outcome is unclear, reply to this message and we will follow it up.' },
    },
  },
  caseClosed: {
    params: {},
    closing: true,
    text: {
      'zh-CN': { subject: '售后申请已完结', body: '您好，您的售后申请已处理完毕并关闭。' },
      en: { subject: 'Your after-sales request is closed', body: 'Hello, your after-sales request has been completed and closed.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;

export const TEMPLATES = { ...CASE_TEMPLATES, ...FULFILMENT_TEMPLATES, ...REFUND_TEMPLATES, ...COMPLAINT_TEMPLATES, ...EXCHANGE_TEMPLATES } as const satisfies Record<string, TemplateDef>;

export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export interface RenderedMessage {
  subject: string;
  text: string;
}

export interface RenderOptions {
  /** Deadlines are shown in the shop's time zone, not the server's. */
  timeZone?: string;
  /** The order's item names by SKU (domain itemNamesOf): a customer knows 花生油 5L, not OIL-5. */
  itemNames?: Readonly<Record<string, string>> | null;
}


/**
 * A template that does not exist or a parameter that is missing or of the wrong kind: a bug, never
 * retried — except a template this build does not know (`unknown`), which a newer version of the
 * platform may have queued while both run (a rolling upgrade): a process that knows it sends it.
 */
export class TemplateError extends Error {
  constructor(
    readonly template: string,
    message: string,
    readonly unknown = false,
  ) {
    super(`template ${template}: ${message}`);
    this.name = 'TemplateError';
  }
}

export function isTemplateName(name: string): name is TemplateName {
  return Object.prototype.hasOwnProperty.call(TEMPLATES, name);
}

export function render(template: string, locale: Locale, params: Record<string, unknown>, options: RenderOptions = {}): RenderedMessage {
  if (!isTemplateName(template)) throw new TemplateError(template, 'unknown template', true);
  const def: TemplateDef = TEMPLATES[template];
  const text = def.text[locale];
  if (!text) throw new TemplateError(template, `unknown locale ${String(locale)}`);
  const values: Record<string, string> = {};
  for (const [name, kind] of Object.entries(def.params)) values[name] = formatParam(template, name, kind, params, locale, options.timeZone ?? 'Asia/Shanghai', options.itemNames ?? {});
  // One pass: a parameter value that happens to contain `{x}` is never expanded again.
  const fill = (s: string) =>
    s.replace(/\{(\w+)\}([。.！!？?])?/gu, (_, name: string, end: string | undefined) => {
      if (!(name in values)) throw new TemplateError(template, `placeholder {${name}} is not a declared parameter`);
      // A sentence the template ends right after a person's words ends once: a reason written
      // "无法取消。" read "无法取消。。", and "your name." "your name..".
      const value = end && def.params[name] === 'text' ? values[name]!.replace(/[。.！!？?；;，,\s]+$/u, '') : values[name]!;
      return `${value}${end ?? ''}`;
    });
  const body = fill(text.body);
  const closing = def.closing === 'thanks' ? THANKS_LINE[locale] : def.closing ? CLOSING_LINE[locale] : undefined;
  return { subject: fill(text.subject), text: closing ? `${body}\n${closing}` : body };
}

/** Who pays for the parcel back, as its own sentence (ParamKind 'postage'): the shop takes it freight collect (到付). */
const POSTAGE: Record<'SHOP' | 'CUSTOMER', Record<Locale, string>> = {
  SHOP: { 'zh-CN': '寄回运费由我们承担，请以到付方式寄出。', en: 'We pay the postage: send the parcel freight collect.' },
  CUSTOMER: { 'zh-CN': '寄回运费由您承担，请勿以到付方式寄出。', en: 'The postage is yours to pay: please do not send the parcel freight collect.' },
};

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatParam(template: string, name: string, kind: ParamKind, params: Record<string, unknown>, locale: Locale, timeZone: string, itemNames: Readonly<Record<string, string>>): string {
  const v = params[name];
  const bad = (expected: string) => new TemplateError(template, v === undefined || v === null ? `missing parameter ${name}` : `parameter ${name} must be ${expected}, got ${JSON.stringify(v)}`);
  switch (kind) {
    case 'text':
      if ((typeof v !== 'string' || v.trim() === '') && typeof v !== 'number') throw bad('a non-empty string');
      return String(v);
    case 'carrier':
      if (typeof v !== 'string' || v.trim() === '') throw bad('a carrier code or name');
      return carrierName(v, locale);
    case 'postage':
      if (v !== 'SHOP' && v !== 'CUSTOMER') throw bad('SHOP or CUSTOMER');
      return POSTAGE[v][locale];
    case 'currency':
      if (typeof v !== 'string' || !/^[A-Z]{3}$/.test(v)) throw bad('an ISO 4217 currency code');
      return v;
    case 'money': {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad('a whole number of minor units');
      const currency = params.currency;
      if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw new TemplateError(template, `missing parameter currency for ${name}`);
      if (!isKnownCurrency(currency)) throw new TemplateError(template, `parameter currency is ${currency}, which has no known minor unit (domain/money.ts)`);
      return formatMoney(v, currency, locale);
    }
    case 'date': {
      const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
      if (!Number.isFinite(t)) throw bad('a time (epoch ms or ISO string)');
      const local = memoFormat(dateFormats, `${locale} ${timeZone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone })).format(t);
      // With its zone: a customer abroad, or a phone set to another zone, must not guess whose 18:00 it is.
      return locale === 'zh-CN' ? `${local}（${zoneNameZh(timeZone)}）` : `${local} (${zoneNameEn(timeZone)})`;
    }
    case 'lines': {
      if (!Array.isArray(v) || v.length === 0 || !v.every((l) => l && typeof l === 'object' && typeof l.sku === 'string')) throw bad('a non-empty list of { sku, quantity }');
      return v.map((l) => formatLine(l as LineParam, locale, itemNames)).join(locale === 'zh-CN' ? '；' : '; ');
    }
    case 'item': {
      // A bare SKU is what messages carried before items had names: they still render, named by the order where it can.
      const item = typeof v === 'string' ? { sku: v } : v;
      if (!item || typeof item !== 'object' || typeof (item as LineParam).sku !== 'string' || !(item as LineParam).sku.trim()) throw bad('a SKU or { sku, name }');
      const { sku, name } = item as LineParam;
      return formatLine({ sku, ...(typeof name === 'string' ? { name } : {}) }, locale, itemNames);
    }
  }
}

interface LineParam {
  sku: string;
  /** The goods' name where the order has none for the SKU (goods sent by mistake, named by the warehouse). */
  name?: string;
  quantity?: number;
  receivedQuantity?: number;
  condition?: string;
}

const CONDITION: Record<Locale, Record<string, string>> = {
  'zh-CN': { OK: '完好', DAMAGED_BY_CUSTOMER: '人为损坏', MISSING: '未收到' },
  en: { OK: 'in good condition', DAMAGED_BY_CUSTOMER: 'damaged after delivery', MISSING: 'not received' },
};

function formatLine(l: LineParam, locale: Locale, itemNames: Readonly<Record<string, string>>): string {
  const qty = l.quantity ?? l.receivedQuantity;
  const name = Object.prototype.hasOwnProperty.call(itemNames, l.sku) ? itemNames[l.sku]! : typeof l.name === 'string' && l.name ? l.name : l.sku;
  const item = qty === undefined ? name : `${name} × ${qty}`;
  if (!l.condition) return item;
  const condition = CONDITION[locale][l.condition] ?? l.condition;
  return locale === 'zh-CN' ? `${item}（${condition}）` : `${item} (${condition})`;
}
