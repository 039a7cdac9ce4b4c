export * from './api'
export * from './channels'
export * from './dto'
export * from './words'
