/** 控制台的中文文案。代码在 `kind.CODE` 下；主管页面的文案合并进来。 */
import { codesZh } from './codes-zh';
import { carrierWords } from './domain-names';
import { consoleZh } from './console-zh';
import { problemsZh } from './problems-zh';
import { supervisorZh } from './supervisor-zh';
import { whatIfZh } from './whatif-zh';

const base: Record<string, string> = {
  'app.title': '售后工作台',
  'app.skip': '跳到正文',
  'nav.label': '主导航',
  'nav.queue': '待办队列',
  'nav.warehouse': '仓库',
  'nav.supervisor': '主管看板',
  'nav.admin': '管理',
  'nav.signOut': '退出',
  'nav.language': '语言',
  'lang.en': 'English',
  'lang.zh-CN': '中文',
  // The customer's language, in the reader's (the switcher above names each language in its own).
  'customerLang.en': '英文',
  'customerLang.zh-CN': '中文',
  'session.as': '当前身份：{who}',
  'session.allMerchants': '全部商家',
  'common.loading': '加载中…',
  'common.error': '出错了',
  'common.retry': '重试',
  'common.none': '无',
  'common.yes': '是',
  'common.no': '否',
  'common.all': '全部',
  'common.any': '不限',
  'common.submit': '提交',
  'common.save': '保存',
  'common.cancel': '取消',
  'common.required': '必填',
  'common.live': '实时更新中',
  'common.offline': '实时更新重连中…',
  'common.notFound': '暂无内容',
  'error.notFound': '页面不存在',
  'error.notFoundText': '控制台中没有这个地址的页面：链接可能有误或已过期。',
  'error.failed': '页面无法显示',
  'error.failedText': '打开页面时出错。请刷新页面；如果问题仍然存在，请联系管理员。',
  'error.back': '返回待办队列',
  'common.back': '返回',
  'signIn.title': '登录',
  'signIn.ended': '您的密钥已不再有效（已被吊销或已过期），您已退出登录。刚才提交的操作没有被记录：请用有效的密钥重新登录后再做一次。',
  'signIn.intro': '粘贴分配给您的 API 密钥。密钥只保存在当前标签页，关闭即清除。',
  'signIn.key': 'API 密钥',
  'signIn.submit': '登录',
  'signIn.checking': '验证中…',
  'signIn.empty': '请输入 API 密钥。',
  'signIn.badKey': '密钥无效、已过期或已被吊销。请确认粘贴了完整的密钥，或向管理员索取新的密钥。',
  'signIn.needed': '请先登录。',
  'role.AGENT': '客服',
  'role.SUPERVISOR': '主管',
  'role.ADMIN': '管理员',
  'role.WAREHOUSE': '仓库',
  'role.STOREFRONT': '店铺系统',
  'role.CUSTOMER': '顾客',
  'role.COURIER': '快递',
};

export const zh: Record<string, string> = { ...base, ...codesZh, ...consoleZh, ...supervisorZh, ...carrierWords('zh-CN'), ...whatIfZh, ...problemsZh };
