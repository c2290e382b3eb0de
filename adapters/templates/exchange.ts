/** Messages of exchanges and re-shipments (换货 / 补发), in the shape of adapters/templates.ts. */
import type { TemplateDef } from './template-def.js';

export const EXCHANGE_TEMPLATES = {
  /**
   * An exchange's or re-shipment's opening: its solution is the exchange itself, decided at once, so
   * the customer is told it is under way — not promised a solution by a deadline in the same
   * instant the next message gives it (caseOpenedSolutionBy, as these cases sent before).
   */
  exchangeReceived: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '换货 / 补发申请已受理', body: '您好，您的换货 / 补发申请（编号 {caseId}）已受理，我们正在为您办理，每一步都会通知您。' },
      en: { subject: 'We have received your exchange or re-shipment request', body: 'Hello, we have received your exchange or re-shipment request (no. {caseId}) and are handling it; we will tell you each step.' },
    },
  },
  /**
   * An exchange's opening, named as what the customer asked for (not "换货 / 补发", as
   * exchangeReceived said before: kept as it was, for the messages already sent with it).
   */
  exchangeRequestReceived: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '换货申请已受理', body: '您好，您的换货申请（编号 {caseId}）已受理，我们正在为您办理，每一步都会通知您。' },
      en: { subject: 'We have received your exchange request', body: 'Hello, we have received your exchange request (no. {caseId}) and are handling it; we will tell you each step.' },
    },
  },
  /** The same, for a replacement cheaper than the goods it replaces: the difference is said at once, and when it comes back. */
  exchangeRequestReceivedDifferenceBack: {
    params: { caseId: 'text', amountMinor: 'money', currency: 'currency' },
    text: {
      'zh-CN': { subject: '换货申请已受理', body: '您好，您的换货申请（编号 {caseId}）已受理，我们正在为您办理，每一步都会通知您。新商品比原商品便宜，差价 {amountMinor} 将在换货完成（新商品送达、原商品退回我们）后退还给您。' },
      en: { subject: 'We have received your exchange request', body: 'Hello, we have received your exchange request (no. {caseId}) and are handling it; we will tell you each step. The new item costs less than the one it replaces: the difference of {amountMinor} is refunded to you once the exchange is complete (the new item delivered and the old one back with us).' },
    },
  },
  /** The same for a re-shipment. */
  reshipmentReceived: {
    params: { caseId: 'text' },
    text: {
      'zh-CN': { subject: '补发申请已受理', body: '您好，您的补发申请（编号 {caseId}）已受理，我们正在为您办理，每一步都会通知您。' },
      en: { subject: 'We have received your re-shipment request', body: 'Hello, we have received your request to send the goods again (no. {caseId}) and are handling it; we will tell you each step.' },
    },
  },
  differenceDue: {
    params: { amountMinor: 'money', currency: 'currency', payBy: 'date' },
    text: {
      // Not "shipped at once": unless the shop ships exchanges first, the original comes back first, and the customer is told so next.
      'zh-CN': { subject: '请补付差价', body: '您好，您换的商品比原商品贵 {amountMinor}。请在 {payBy} 前补付差价，付款后我们将继续为您办理换货，下一步我们会另行通知您。逾期未付款，客服将与您联系。' },
      en: { subject: 'Please pay the price difference', body: 'Hello, the item you are exchanging for costs {amountMinor} more than the original. Please pay the difference by {payBy}; once it is paid we go on with your exchange and tell you the next step. If it is not paid by then, an agent will contact you.' },
    },
  },
  exchangeShipped: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '新商品已为您发出', body: '您好，您的商品已发出：{carrier} 运单号 {trackingNumber}。我们会跟踪物流直到您签收。' },
      en: { subject: 'Your replacement is on its way', body: 'Hello, your item has been sent: {carrier} tracking number {trackingNumber}. We will follow the parcel until you have received it.' },
    },
  },
  /** A quality problem's goods repaired and sent back: what was done, and where they are. */
  repairedShipped: {
    params: { carrier: 'carrier', trackingNumber: 'text', method: 'text' },
    text: {
      'zh-CN': { subject: '您的商品已修好并寄回', body: '您好，您的商品已维修完毕（{method}），检测可正常使用，已寄回给您：{carrier} 运单号 {trackingNumber}。我们会跟踪物流直到您签收。' },
      en: { subject: 'Your item is repaired and on its way back', body: 'Hello, your item has been repaired ({method}), tested and works again. It is on its way back to you: {carrier} tracking number {trackingNumber}. We will follow the parcel until you have received it.' },
    },
  },
  /** The repair could not fix the goods: an agent decides on a replacement or a refund. */
  repairFailed: {
    params: {},
    text: {
      'zh-CN': { subject: '您的商品未能修好', body: '您好，很抱歉，您的商品经维修仍未能修好。客服将尽快与您联系，为您换新或退款。' },
      en: { subject: 'We could not repair your item', body: 'Hello, we are sorry: our repair could not fix your item. Our customer service will contact you shortly to replace it or refund you.' },
    },
  },
  substituteLent: {
    params: { sku: 'item' },
    text: {
      'zh-CN': { subject: '临时替代品已为您寄出', body: '您好，为不耽误您使用，我们先寄出一件临时替代品（{sku}）。换货商品送达后，请将替代品寄回。' },
      en: { subject: 'A loan item is on its way', body: 'Hello, so that you are not left without it, we have sent you a loan item ({sku}) for now. Please send it back once your replacement has arrived.' },
    },
  },
  /** The same, under the send-back-told patch: the customer is told when and where to send it back in a message of its own (sendLoanBack). */
  /** The loan item handed to the carrier (the warehouse's report, api/routes/exchanges.ts): where it is. */
  loanSent: {
    params: { sku: 'item', carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '临时替代品已发出', body: '您好，您的临时替代品（{sku}）已发出：{carrier} 运单号 {trackingNumber}，请留意查收。' },
      en: { subject: 'Your loan item has left', body: 'Hello, your loan item ({sku}) is on its way: {carrier} tracking number {trackingNumber}. Please look out for it.' },
    },
  },
  substituteLentAskedLater: {
    params: { sku: 'item' },
    text: {
      'zh-CN': { subject: '我们将为您寄出临时替代品', body: '您好，为不耽误您使用，我们将先为您寄出一件临时替代品（{sku}），发出后会告知您运单号。需要寄回时，我们会另行通知您寄回的地址和期限，请留意。' },
      en: { subject: 'A loan item is being sent to you', body: 'Hello, so that you are not left without it, we are sending you a loan item ({sku}) for now, and will tell you its tracking number once it has left. When it is due back, we will tell you where and by when to send it.' },
    },
  },
  /**
   * The loan item goes back (the replacement has arrived, or the exchange was refunded instead):
   * where to, by when and with which return code. Before, the customer was told only at the lending
   * to send it back "once the replacement has arrived", and the case waited out its deadline in silence.
   */
  sendLoanBack: {
    params: { sku: 'item', returnAddress: 'text', shipBy: 'date', returnCode: 'text' },
    text: {
      'zh-CN': { subject: '请寄回临时替代品', body: '您好，请将临时替代品（{sku}）寄回：{returnAddress}，请在 {shipBy} 前寄出。请在包裹内放一张写有退货码 {returnCode} 的纸条，仓库凭此码确认是您的包裹。' },
      en: { subject: 'Please send the loan item back', body: 'Hello, please send the loan item ({sku}) back to: {returnAddress} by {shipBy}. Put a note with the return code {returnCode} inside the parcel, so that the warehouse knows it is yours.' },
    },
  },
  /** The loan item was never sent (the replacement came first, or the exchange became a refund): the customer was told it was coming. */
  loanNotSent: {
    params: { sku: 'item' },
    text: {
      'zh-CN': { subject: '临时替代品不再寄出', body: '您好，您的换货已有结果，原定寄给您的临时替代品（{sku}）不再寄出，您也无需寄回任何替代品。' },
      en: { subject: 'The loan item will not be sent', body: 'Hello, your exchange has been settled, so the loan item ({sku}) we meant to send you will not be sent, and there is no loan item for you to return.' },
    },
  },
  /** The loan item has been scanned in at the warehouse (loan-arrival-ends-wait): nothing more is asked of the customer for it. */
  loanReceived: {
    params: { sku: 'item' },
    text: {
      'zh-CN': { subject: '临时替代品已收到', body: '您好，您寄回的临时替代品（{sku}）已到达仓库，感谢您寄回。替代品无需您再做任何处理。' },
      en: { subject: 'We have received the loan item', body: 'Hello, the loan item ({sku}) you sent back has arrived at our warehouse. Thank you for returning it; nothing more is needed from you for it.' },
    },
  },
  waitingForRestock: {
    params: {},
    text: {
      'zh-CN': { subject: '您的商品正在补货', body: '您好，您的商品目前没有检验合格的库存。按与您商定的方案，我们会在补货到仓并检验合格后立即为您发出，发货时另行通知您。' },
      en: { subject: 'Your replacement is being restocked', body: 'Hello, we have no unit of your item in stock that passes our check right now. As agreed with you, we will send it as soon as new stock has arrived and passed the check, and tell you when it is on its way.' },
    },
  },
  /**
   * Goods sent back for an exchange, or for a quality problem's replacement or repair, came back short
   * or damaged by the customer, and customer service refunds those back in good order instead
   * (workflows/take-back.ts agentDecidesWhatCameBack, REFUND_RECEIVED): why the exchange or repair
   * became a partial refund, before the refund's own message (a trial's customer heard only of a refund).
   */
  exchangeRefundedWhatCameBack: {
    params: {},
    text: {
      'zh-CN': { subject: '您的换货改为退款', body: '您好，您为换货寄回的商品与申请的不符（有短少或人为损坏）。经客服审核，本次不再换货，改为退还完好寄回商品的货款（您已付的差价一并退还），退款发起后另行通知您。' },
      en: { subject: 'Your exchange becomes a refund', body: 'Hello, the goods you sent back for your exchange were not all as agreed (some missing, or damaged by use). After review, customer service refunds the goods that came back in good order instead of exchanging them, with any price difference you paid; we will tell you when the refund is on its way.' },
    },
  },
  qualityRefundedWhatCameBack: {
    params: {},
    text: {
      'zh-CN': { subject: '您的售后改为退款', body: '您好，您寄回的商品与申请的不符（有短少或人为损坏）。经客服审核，本次不再为您换新或维修，改为退还完好寄回商品的货款，退款发起后另行通知您。' },
      en: { subject: 'Your request becomes a refund', body: 'Hello, the goods you sent back were not all as agreed (some missing, or damaged by use). After review, customer service refunds the goods that came back in good order instead of replacing or repairing them; we will tell you when the refund is on its way.' },
    },
  },
  exchangeRefundInstead: {
    params: {},
    text: {
      'zh-CN': { subject: '您的换货改为退款', body: '您好，您要换的商品暂时没有检验合格的库存。按与您商定的方案，改为退款：需要寄回的商品寄回并验收后，我们为您办理退款，退款时另行通知您。' },
      en: { subject: 'Your exchange becomes a refund', body: 'Hello, we have no unit of the item you are exchanging for that passes our check. As agreed with you, we refund you instead: once any goods still to come back have arrived and been checked, the refund is paid, and we will tell you then.' },
    },
  },
  parcelDelivered: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    closing: true,
    text: {
      'zh-CN': { subject: '包裹已签收', body: '您好，您的包裹（{carrier} 运单号 {trackingNumber}）已签收。如有任何问题，请随时联系我们。' },
      en: { subject: 'Your parcel has been delivered', body: 'Hello, your parcel ({carrier}, tracking number {trackingNumber}) has been delivered. If anything is not right, contact us at any time.' },
    },
  },
  /**
   * A parcel sent to make good a problem (a re-shipment, the right goods, a replacement) could not be
   * delivered, and customer service refunds its goods instead (workflows/shipping.ts
   * MAKE_GOOD_REFUND_PATCH): the amount follows with the refund's own message (refundIssued).
   */
  madeGoodRefundInstead: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '包裹未能送达，改为退款', body: '您好，我们为您寄出的包裹（{carrier} 运单号 {trackingNumber}）未能送达，正在退回我们的仓库。客服已决定改为为您退款，在订单尚可退的金额内退还包裹内商品的货款；如还有需要您寄回的商品，收到后即为您退款。' },
      en: { subject: 'Your parcel could not be delivered: a refund instead', body: 'Hello, the parcel we sent you ({carrier}, tracking number {trackingNumber}) could not be delivered and is on its way back to our warehouse. Our customer service has decided to refund you for the goods in it instead, as far as the order has money left to refund; if any goods are still to come back from you, the refund is paid once they arrive.' },
    },
  },
  /** The parcel followed for them had been given under a wrong number (a clerk's typo): the right one (followUntilDelivered's correction). */
  parcelNumberCorrected: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    closing: true,
    text: {
      'zh-CN': { subject: '物流单号更正', body: '您好，您的包裹此前登记的物流单号有误，正确的单号是：{carrier} 运单号 {trackingNumber}。请以此单号查询物流，我们会继续跟踪，直到您签收。' },
      en: { subject: 'Your tracking number, corrected', body: 'Hello, your parcel had been recorded under a wrong tracking number. The right one is {carrier} tracking number {trackingNumber}: please track it under this one. We will keep following it until you have received it.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;
