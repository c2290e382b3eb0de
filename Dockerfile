# One image for the API, the worker and the migration job (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The dev server is compiled for `npm start`; the Prisma client is generated from the schema.
RUN npm run build && npx prisma generate
ENV NODE_ENV=production
CMD ["npm", "run", "api"]
