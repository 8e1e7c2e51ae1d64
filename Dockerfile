# The coordinator and the bundled providers share one image; the command picks the process.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY spec/package.json spec/
COPY server/package.json server/
COPY provider-sdk/package.json provider-sdk/
COPY client/package.json client/
COPY providers/openai/package.json providers/openai/
COPY providers/example/package.json providers/example/
COPY providers/llama/package.json providers/llama/
COPY test/package.json test/
COPY bench/package.json bench/
# Scripts run once the sources are in: the install's own (postinstall) would build before they are.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npx patch-package && npm run build
ENV HOST=0.0.0.0 PORT=8700 DATA_DIR=/data
EXPOSE 8700
# node itself is PID 1 (not npm, which would not pass SIGTERM on): `docker stop` stops it gracefully.
CMD ["node", "server/dist/main.js"]
